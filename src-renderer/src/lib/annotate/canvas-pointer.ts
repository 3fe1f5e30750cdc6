import type { Camera } from '../viewer/camera.svelte';
import { imageToScreen, screenToImage } from '../viewer/viewport';
import type { AnnotationSession } from './annotation-session.svelte';
import type { PolygonDraft } from './polygon-draft';
import type { ToolState } from './tool-state.svelte';

export interface ScreenPoint {
  x: number;
  y: number;
}

interface Deps {
  camera: Camera;
  session: AnnotationSession;
  tools: ToolState;
  draft: PolygonDraft;
  /** Space is held: the left button pans. */
  spaceHeld: () => boolean;
  /** A press or stroke painted nothing for a reason the user cannot see (said, not dropped silently). */
  refuse: (message: string) => void;
}

export const NOT_READY_MESSAGE = 'The image is not ready yet: nothing was painted. Paint again once it is shown.';
export const OUTSIDE_MESSAGE = 'The stroke was outside the image: nothing was painted.';

/**
 * What a pointer does on the annotation canvas: the middle button (or Space + left) pans; the left
 * button paints with the current tool. Works in screen (CSS) pixels relative to the canvas.
 */
export class CanvasPointer {
  private mode: 'idle' | 'pan' | 'stroke' | 'polygon' = 'idle';
  private last: ScreenPoint = { x: 0, y: 0 };

  constructor(private readonly deps: Deps) {}

  get panning(): boolean {
    return this.mode === 'pan';
  }

  /** Returns true when the press starts a gesture (the caller then captures the pointer). */
  down(button: number, at: ScreenPoint): boolean {
    const { camera, session, tools, draft } = this.deps;
    this.last = at;
    if (button === 1 || (button === 0 && this.deps.spaceHeld())) {
      this.mode = 'pan';
      return true;
    }
    if (button !== 0) return false;
    if (!session.maps) {
      this.deps.refuse(NOT_READY_MESSAGE);
      return false;
    }
    // Another plane than the annotated one is shown: the plane banner says why painting is off.
    if (!session.canPaint()) return false;
    const p = screenToImage(camera.view, at.x, at.y);
    switch (tools.tool) {
      case 'brush':
      case 'eraser':
        if (!session.beginStroke(p, tools.brushSize, tools.spec())) {
          this.deps.refuse(NOT_READY_MESSAGE);
          return false;
        }
        this.mode = 'stroke';
        return true;
      case 'fill':
        if (p.x < 0 || p.y < 0 || p.x >= session.maps.width || p.y >= session.maps.height) this.deps.refuse(OUTSIDE_MESSAGE);
        else session.fill(p, tools.spec());
        return false;
      case 'polygon': {
        const closed = draft.press(p, at, (q) => imageToScreen(camera.view, q.x, q.y));
        if (closed) session.polygon(closed, tools.spec());
        else this.mode = 'polygon';
        return !closed;
      }
    }
  }

  /** Pointer moved to `at`; `path` holds the coalesced positions since the last event (ending at `at`). */
  move(at: ScreenPoint, path: ScreenPoint[]): void {
    const { camera, session, draft } = this.deps;
    if (this.mode === 'pan') camera.pan(at.x - this.last.x, at.y - this.last.y);
    else if (this.mode === 'stroke') for (const s of path) session.extendStroke(screenToImage(camera.view, s.x, s.y));
    else if (this.mode === 'polygon') for (const s of path) draft.drag(screenToImage(camera.view, s.x, s.y), s);
    this.last = at;
  }

  /** Ends the gesture; true when it changed the labels. */
  up(): boolean {
    const { session, tools, draft } = this.deps;
    const mode = this.mode;
    this.mode = 'idle';
    if (mode === 'stroke') {
      const outcome = session.finishStroke();
      if (outcome === 'outside') this.deps.refuse(OUTSIDE_MESSAGE);
      return outcome === 'changed';
    }
    if (mode === 'polygon') {
      const closed = draft.release();
      if (closed) return session.polygon(closed, tools.spec());
    }
    return false;
  }

  /** A double-click closes a clicked polygon. */
  doubleClick(): boolean {
    const { session, tools, draft } = this.deps;
    if (tools.tool !== 'polygon' || !draft.active) return false;
    // The double-click's two presses added the same vertex twice; drop the duplicate.
    const v = draft.vertices;
    if (v.length >= 2 && Math.hypot(v[v.length - 1].x - v[v.length - 2].x, v[v.length - 1].y - v[v.length - 2].y) < 1) v.pop();
    const closed = draft.close();
    return closed ? session.polygon(closed, tools.spec()) : false;
  }
}
