/**
 * Line charts drawn as plain SVG from data: axes with rounded ticks, one polyline and one marker
 * per point for each series (each marker carries its value in a <title> tooltip), a legend, and
 * an optional highlighted x value. Markers are clickable through `onPick(x)`.
 */

const SVG = 'http://www.w3.org/2000/svg';

function svg(tag, attributes = {}, ...children) {
  const element = document.createElementNS(SVG, tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined) element.setAttribute(key, String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined) continue;
    element.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return element;
}

/** Rounded tick values from 0 to at least `max`: about `count` steps of 1, 2, 2.5 or 5 × 10^n. */
export function niceTicks(max, count = 5) {
  if (!(max > 0)) return [0, 1];
  const rough = max / count;
  const power = 10 ** Math.floor(Math.log10(rough));
  const step = [1, 2, 2.5, 5, 10].map((factor) => factor * power).find((candidate) => candidate >= rough);
  const ticks = [];
  for (let value = 0; value < max + step / 2; value += step) ticks.push(value);
  if (ticks[ticks.length - 1] < max) ticks.push(ticks[ticks.length - 1] + step);
  return ticks;
}

/**
 * A line chart. `xs` are the x values; `series` are { name, color, values } with one value per x
 * (null for none). `formatX` and `formatY` label the axes' ticks; `selectedX` draws a guide line;
 * `onPick(x)` is called when a point is clicked. Returns the <svg> element.
 */
export function lineChart({
  xs, series, title, xLabel, formatX = String, formatY = String, selectedX = null, onPick = null,
  width = 560, height = 300,
}) {
  const margin = { top: 28, right: 16, bottom: 44, left: 72 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const values = series.flatMap((line) => line.values.filter((value) => value !== null));
  const yTicks = niceTicks(Math.max(0, ...values));
  const yMax = yTicks[yTicks.length - 1];
  const xMin = Math.min(...xs);
  const xMax = Math.max(...xs);
  const x = (value) => margin.left + (xMax === xMin ? plotWidth / 2 : ((value - xMin) / (xMax - xMin)) * plotWidth);
  const y = (value) => margin.top + plotHeight - (value / yMax) * plotHeight;

  const root = svg('svg', {
    viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img', 'aria-label': title,
    'data-points': values.length,
  });
  root.append(svg('text', { x: margin.left, y: 16, class: 'chart-title' }, title));

  for (const tick of yTicks) {
    root.append(svg('line', { x1: margin.left, x2: width - margin.right, y1: y(tick), y2: y(tick), class: 'grid' }));
    root.append(svg('text', { x: margin.left - 8, y: y(tick) + 4, class: 'tick', 'text-anchor': 'end' }, formatY(tick)));
  }
  for (const value of xs) {
    root.append(svg('text', { x: x(value), y: height - margin.bottom + 18, class: 'tick', 'text-anchor': 'middle' }, formatX(value)));
  }
  root.append(svg('text', { x: margin.left + plotWidth / 2, y: height - 8, class: 'axis-label', 'text-anchor': 'middle' }, xLabel));
  root.append(svg('line', {
    x1: margin.left, x2: width - margin.right, y1: margin.top + plotHeight, y2: margin.top + plotHeight, class: 'axis',
  }));

  if (selectedX !== null) {
    root.append(svg('line', { x1: x(selectedX), x2: x(selectedX), y1: margin.top, y2: margin.top + plotHeight, class: 'guide' }));
  }

  series.forEach((line, index) => {
    const points = xs.map((value, i) => [value, line.values[i]]).filter(([, value]) => value !== null);
    root.append(svg('polyline', {
      points: points.map(([px, py]) => `${x(px).toFixed(1)},${y(py).toFixed(1)}`).join(' '),
      class: 'line', stroke: line.color,
    }));
    for (const [px, py] of points) {
      const marker = svg('circle', {
        cx: x(px).toFixed(1), cy: y(py).toFixed(1), r: 3.5, fill: line.color, class: 'point',
        'data-series': index, 'data-x': px, 'data-y': py,
      }, svg('title', {}, `${line.name} at ${formatX(px)}: ${formatY(py)}`));
      if (onPick) marker.addEventListener('click', () => onPick(px));
      root.append(marker);
    }
    const legendX = margin.left + 8 + (index % 2) * (plotWidth / 2);
    const legendY = margin.top + 12 + Math.floor(index / 2) * 16;
    root.append(svg('rect', { x: legendX, y: legendY - 8, width: 10, height: 10, fill: line.color }));
    root.append(svg('text', { x: legendX + 14, y: legendY + 1, class: 'legend' }, line.name));
  });
  return root;
}
