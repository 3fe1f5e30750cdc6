/** Painting tools of the Annotate view. */
export type ToolId = 'brush' | 'eraser' | 'fill' | 'polygon';

export type ShortcutAction =
  | { kind: 'tool'; tool: ToolId }
  | { kind: 'size'; delta: number }
  | { kind: 'class'; value: number }
  | { kind: 'undo' }
  | { kind: 'redo' }
  | { kind: 'help' }
  | { kind: 'fit' }
  | { kind: 'actual-size' }
  | { kind: 'zoom'; factor: number }
  | { kind: 'frame'; delta: number }
  | { kind: 'toggle-instance-mode' }
  | { kind: 'toggle-weightmap' }
  | { kind: 'toggle-overlay' }
  | { kind: 'toggle-prediction' }
  | { kind: 'image'; direction: 'previous' | 'next'; unannotated: boolean }
  | { kind: 'close-polygon' }
  | { kind: 'cancel' };

/** The list shown in the help overlay (keys as the user types them). */
export const SHORTCUTS: { keys: string; what: string }[] = [
  { keys: 'B', what: 'Brush' },
  { keys: 'E', what: 'Eraser' },
  { keys: 'F', what: 'Flood fill' },
  { keys: 'P', what: 'Polygon / lasso (click points, Enter or double-click closes; or drag a lasso)' },
  { keys: '[  ]', what: 'Smaller / larger brush' },
  { keys: '1 – 9', what: 'Paint class 1–9 (1 = background)' },
  { keys: '`', what: 'Paint unlabeled (erase)' },
  { keys: 'I', what: 'New object per stroke (instance mode) on/off' },
  { keys: 'O', what: 'Label overlay on/off' },
  { keys: 'W', what: 'Weight map on/off' },
  { keys: 'Ctrl+Z / Ctrl+Shift+Z', what: 'Undo / redo (also Ctrl+Y)' },
  { keys: 'Wheel', what: 'Zoom around the cursor' },
  { keys: 'Space+drag, middle drag', what: 'Pan' },
  { keys: '0  /  =', what: 'Fit to window / 1:1' },
  { keys: '+  /  -', what: 'Zoom in / out' },
  { keys: ',  /  .', what: 'Previous / next frame of a stack' },
  { keys: 'A  /  D', what: 'Previous / next image of the data set (also Page Up / Page Down)' },
  { keys: 'N', what: 'Next image without an annotation' },
  { keys: 'L', what: 'Prediction layer on/off' },
  { keys: 'Esc', what: 'Cancel the polygon, close this help' },
  { keys: '?', what: 'This help' },
];

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** The action bound to a key press, or null (Alt combinations belong to the app shell). */
export function shortcutFor(event: KeyLike): ShortcutAction | null {
  if (event.altKey) return null;
  const key = event.key;
  const lower = key.length === 1 ? key.toLowerCase() : key;
  if (event.ctrlKey || event.metaKey) {
    if (lower === 'z') return event.shiftKey ? { kind: 'redo' } : { kind: 'undo' };
    if (lower === 'y') return { kind: 'redo' };
    return null;
  }
  if (/^[1-9]$/.test(key)) return { kind: 'class', value: Number(key) };
  switch (lower) {
    case 'b':
      return { kind: 'tool', tool: 'brush' };
    case 'e':
      return { kind: 'tool', tool: 'eraser' };
    case 'f':
      return { kind: 'tool', tool: 'fill' };
    case 'p':
      return { kind: 'tool', tool: 'polygon' };
    case '[':
      return { kind: 'size', delta: -1 };
    case ']':
      return { kind: 'size', delta: 1 };
    case '`':
      return { kind: 'class', value: 0 };
    case '?':
      return { kind: 'help' };
    case '0':
      return { kind: 'fit' };
    case '=':
      return { kind: 'actual-size' };
    case '+':
      return { kind: 'zoom', factor: 1.25 };
    case '-':
      return { kind: 'zoom', factor: 0.8 };
    case ',':
      return { kind: 'frame', delta: -1 };
    case '.':
      return { kind: 'frame', delta: 1 };
    case 'i':
      return { kind: 'toggle-instance-mode' };
    case 'w':
      return { kind: 'toggle-weightmap' };
    case 'o':
      return { kind: 'toggle-overlay' };
    case 'l':
      return { kind: 'toggle-prediction' };
    case 'a':
    case 'PageUp':
      return { kind: 'image', direction: 'previous', unannotated: false };
    case 'd':
    case 'PageDown':
      return { kind: 'image', direction: 'next', unannotated: false };
    case 'n':
      return { kind: 'image', direction: 'next', unannotated: true };
    case 'Enter':
      return { kind: 'close-polygon' };
    case 'Escape':
      return { kind: 'cancel' };
    default:
      return null;
  }
}

/** Brush sizes stepped by [ and ]: fine steps when small, coarser when large. */
export function stepBrushSize(size: number, delta: number): number {
  const steps = [1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25, 30, 40, 50, 64, 80, 100, 128, 160, 200];
  let index = steps.findIndex((s) => s >= size);
  if (index < 0) index = steps.length - 1;
  else if (steps[index] !== size && delta > 0) index--;
  return steps[Math.min(steps.length - 1, Math.max(0, index + delta))];
}

/** Key events typed into a text field are the field's, not shortcuts. */
export function isTextInput(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const el = target as HTMLElement;
  if (el.isContentEditable) return true;
  if (el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return !['checkbox', 'radio', 'range', 'button', 'color'].includes(type);
}
