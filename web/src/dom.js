/**
 * A few DOM helpers the views share: building elements from data, tables, key/value lists and
 * replacing a container's content in one step.
 */

/**
 * Creates an element: `h('td', { class: 'num' }, '1.5 DOT')`. Attributes starting with `on` are
 * event listeners; `dataset` sets data-* attributes; children may be strings, nodes, arrays,
 * null or false (the last two are skipped).
 */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') {
      element.addEventListener(key.slice(2).toLowerCase(), value);
    } else if (key === 'dataset') {
      Object.assign(element.dataset, value);
    } else if (key === 'class') {
      element.className = value;
    } else if (key in element && typeof value !== 'string') {
      element[key] = value;
    } else {
      element.setAttribute(key, value === true ? '' : value);
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

/** Replaces everything inside `container` with `children`. */
export function replace(container, ...children) {
  container.replaceChildren();
  append(container, children);
  return container;
}

/**
 * A table. `columns` are { label, numeric? }; `rows` are arrays of cells (strings or nodes) or
 * { cells, attributes } objects; `empty` is shown as a single row when there are no rows.
 */
export function table(columns, rows, { empty = 'None', attributes = {} } = {}) {
  const head = h('thead', {}, h('tr', {}, columns.map((column) =>
    h('th', { class: column.numeric ? 'num' : null, scope: 'col' }, column.label))));
  const bodyRows = rows.length === 0
    ? [h('tr', { class: 'empty' }, h('td', { colspan: String(columns.length) }, empty))]
    : rows.map((row) => {
      const { cells, attributes: rowAttributes } = Array.isArray(row) ? { cells: row, attributes: {} } : row;
      return h('tr', rowAttributes, cells.map((cell, index) =>
        h('td', { class: columns[index]?.numeric ? 'num' : null, dataset: columns[index]?.key ? { col: columns[index].key } : {} }, cell)));
    });
  return h('table', attributes, head, h('tbody', {}, bodyRows));
}

/** A definition list of [label, value, key?] entries; `key` becomes the value's data-field. */
export function facts(entries, attributes = {}) {
  return h('dl', { class: 'facts', ...attributes }, entries.map(([label, value, key]) => [
    h('dt', {}, label),
    h('dd', { dataset: key ? { field: key } : {} }, value),
  ]));
}

/** A labelled form field wrapping `control`. */
export function field(label, control, hint) {
  return h('label', { class: 'field' }, h('span', { class: 'label' }, label), control,
    hint ? h('span', { class: 'hint' }, hint) : null);
}

/** A <select> of `options` ([value, text] pairs) with `selected` chosen. */
export function select(attributes, options, selected) {
  return h('select', attributes, options.map(([value, text]) =>
    h('option', { value: String(value), selected: String(value) === String(selected) }, text)));
}
