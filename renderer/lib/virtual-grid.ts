// Window of a virtualized grid: which items to render for a scroll position, so a class with
// thousands of samples keeps only the visible rows (plus one row of overscan each way) in the DOM.

export interface GridWindow {
  columns: number;
  firstIndex: number;
  /** One past the last index to render. */
  endIndex: number;
  /** Top offset of the first rendered row, in pixels. */
  offsetTop: number;
  totalHeight: number;
}

export function computeGridWindow(count: number, cellSize: number, gap: number, width: number, height: number, scrollTop: number): GridWindow {
  const pitch = cellSize + gap;
  const columns = Math.max(1, Math.floor((width + gap) / pitch));
  const rows = Math.ceil(count / columns);
  const firstRow = Math.max(0, Math.floor(scrollTop / pitch) - 1);
  const visibleRows = Math.ceil(height / pitch) + 2;
  const firstIndex = Math.min(count, firstRow * columns);
  const endIndex = Math.min(count, (firstRow + visibleRows) * columns);
  return { columns, firstIndex, endIndex, offsetTop: firstRow * pitch, totalHeight: Math.max(0, rows * pitch - gap) };
}
