import type { Camera } from '../viewer/camera.svelte';
import type { WeightMapPreview } from '../weightmap/weightmap-preview.svelte';
import type { AnnotateController } from './annotate-controller.svelte';
import type { PolygonDraft } from './polygon-draft';
import type { ShortcutAction } from './shortcuts';
import type { ToolState } from './tool-state.svelte';

export interface ShortcutTargets {
  controller: AnnotateController;
  tools: ToolState;
  camera: Camera;
  draft: PolygonDraft;
  preview: WeightMapPreview;
  toggleHelp: (open?: boolean) => void;
  redraw: () => void;
  /** Opens the previous or next image of the data set (or the next unannotated one). */
  stepImage: (direction: 'previous' | 'next', unannotated: boolean) => void;
  togglePrediction: () => void;
}

/** Carries out a keyboard shortcut of the Annotate view. */
export function applyShortcut(action: ShortcutAction, t: ShortcutTargets): void {
  const { controller, tools, camera, draft } = t;
  switch (action.kind) {
    case 'tool':
      tools.tool = action.tool;
      if (action.tool !== 'polygon') draft.cancel();
      break;
    case 'size':
      tools.stepSize(action.delta);
      break;
    case 'class':
      if (action.value === 0 || controller.classes.some((c) => c.value === action.value)) tools.classValue = action.value;
      if (tools.tool === 'eraser') tools.tool = 'brush';
      break;
    case 'undo':
      controller.session.undo();
      break;
    case 'redo':
      controller.session.redo();
      break;
    case 'help':
      t.toggleHelp();
      break;
    case 'fit':
      camera.fit();
      break;
    case 'actual-size':
      camera.actualSize();
      break;
    case 'zoom':
      camera.zoomAt(action.factor);
      break;
    case 'frame':
      void controller.setFrame(controller.frame + action.delta);
      break;
    case 'toggle-instance-mode':
      tools.newObject = !tools.newObject;
      break;
    case 'toggle-weightmap':
      t.preview.enabled = !t.preview.enabled;
      break;
    case 'toggle-overlay':
      tools.showOverlay = !tools.showOverlay;
      break;
    case 'toggle-prediction':
      t.togglePrediction();
      break;
    case 'image':
      t.stepImage(action.direction, action.unannotated);
      break;
    case 'close-polygon': {
      const closed = draft.close();
      if (closed) controller.session.polygon(closed, tools.spec());
      break;
    }
    case 'cancel':
      draft.cancel();
      t.toggleHelp(false);
      break;
  }
  t.redraw();
}
