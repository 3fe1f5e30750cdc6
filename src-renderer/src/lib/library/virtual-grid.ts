/**
 * Geometry of a virtualised grid of equal tiles: how many columns fit, which rows are visible at a
 * scroll position, and where the first rendered row sits. Only those rows are put in the DOM, so a
 * data set of 100 000 images scrolls like one of 10.
 */
export interface GridLayout {
  columns: number;
  /** Tile width and height (square tiles), CSS pixels. */
  tileSize: number;
  /** Height of one row including its caption and the gap below it. */
  rowHeight: number;
  gap: number;
}

/** Columns that fit `width` with tiles at least `minTile` wide; tiles grow to use the spare width. */
export function gridLayout(width: number, minTile: number, gap: number, captionHeight: number): GridLayout {
  const columns = Math.max(1, Math.floor((Math.max(0, width) + gap) / (minTile + gap)));
  const tileSize = Math.max(1, Math.floor((Math.max(width, minTile) - gap * (columns - 1)) / columns));
  return { columns, tileSize, rowHeight: tileSize + captionHeight + gap, gap };
}

export interface VisibleRange {
  /** First and one-past-last item index to render. */
  start: number;
  end: number;
  /** Offset from the top of the scroll content to the first rendered row. */
  offsetY: number;
  /** Height of the whole scroll content. */
  totalHeight: number;
}

/** Items to render for a viewport, with `overscan` extra rows above and below to hide scroll gaps. */
export function visibleRange(total: number, layout: GridLayout, scrollTop: number, viewportHeight: number, overscan = 2): VisibleRange {
  const rows = Math.ceil(Math.max(0, total) / layout.columns);
  const totalHeight = rows * layout.rowHeight;
  if (rows === 0) return { start: 0, end: 0, offsetY: 0, totalHeight: 0 };
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, totalHeight - viewportHeight));
  const firstRow = Math.max(0, Math.floor(top / layout.rowHeight) - overscan);
  const lastRow = Math.min(rows - 1, Math.ceil((top + Math.max(0, viewportHeight)) / layout.rowHeight) - 1 + overscan);
  return {
    start: firstRow * layout.columns,
    end: Math.min(total, (lastRow + 1) * layout.columns),
    offsetY: firstRow * layout.rowHeight,
    totalHeight,
  };
}

/** The scrollTop that brings item `index` fully into view (unchanged when it already is). */
export function scrollToItem(index: number, layout: GridLayout, scrollTop: number, viewportHeight: number): number {
  const rowTop = Math.floor(index / layout.columns) * layout.rowHeight;
  const rowBottom = rowTop + layout.rowHeight - layout.gap;
  if (rowTop < scrollTop) return rowTop;
  if (rowBottom > scrollTop + viewportHeight) return Math.max(0, rowBottom - viewportHeight);
  return scrollTop;
}
