import type { Camera } from '../viewer/camera.svelte';
import type { LayerCanvases } from '../viewer/layer-canvases';
import type { Overview } from './canvas-frame';
import { imageToScreen } from '../viewer/viewport';
import type { PolygonDraft } from './polygon-draft';
import type { ToolState } from './tool-state.svelte';

export interface OverlayOptions {
  showLabels: boolean;
  labelOpacity: number;
  showHeat: boolean;
  heatOpacity: number;
}

/**
 * One frame of the annotation canvas: background, the visible part of the layers, the image frame, the
 * polygon being drawn and the brush outline under the pointer. `ctx` is in device pixels; `dpr` scales.
 */
export function paintFrame(
  ctx: CanvasRenderingContext2D,
  dpr: number,
  camera: Camera,
  layers: LayerCanvases | null,
  options: OverlayOptions,
  draft: PolygonDraft,
  tools: ToolState,
  pointer: { x: number; y: number } | null,
  overview: Overview | null = null,
): void {
  const w = camera.viewWidth;
  const h = camera.viewHeight;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.fillStyle = '#0b0d11';
  ctx.fillRect(0, 0, w, h);
  const view = camera.view;
  if (overview && !layers?.has('image')) {
    ctx.imageSmoothingEnabled = true;
    ctx.drawImage(overview.canvas, 0, 0, overview.canvas.width, overview.canvas.height, view.tx, view.ty, overview.width * view.scale, overview.height * view.scale);
  }
  if (!layers) return;
  layers.draw(ctx, view, w, h, { showLabels: options.showLabels, labelOpacity: options.labelOpacity, showHeat: options.showHeat, heatOpacity: options.heatOpacity });
  // The image frame as four thin rectangles (strokeRect of a large rect is slow on the software canvas).
  const fw = layers.width * view.scale;
  const fh = layers.height * view.scale;
  ctx.fillStyle = 'rgba(255,255,255,0.18)';
  ctx.fillRect(view.tx - 1, view.ty - 1, fw + 2, 1);
  ctx.fillRect(view.tx - 1, view.ty + fh, fw + 2, 1);
  ctx.fillRect(view.tx - 1, view.ty, 1, fh);
  ctx.fillRect(view.tx + fw, view.ty, 1, fh);

  if (draft.active) {
    ctx.beginPath();
    draft.vertices.forEach((p, k) => {
      const s = imageToScreen(view, p.x, p.y);
      if (k === 0) ctx.moveTo(s.x, s.y);
      else ctx.lineTo(s.x, s.y);
    });
    if (pointer && !draft.lasso) ctx.lineTo(pointer.x, pointer.y);
    ctx.strokeStyle = '#ffd166';
    ctx.setLineDash([5, 4]);
    ctx.stroke();
    ctx.setLineDash([]);
    const first = imageToScreen(view, draft.vertices[0].x, draft.vertices[0].y);
    ctx.fillStyle = '#ffd166';
    ctx.fillRect(first.x - 3, first.y - 3, 6, 6);
  }

  if (pointer && (tools.tool === 'brush' || tools.tool === 'eraser')) {
    const r = Math.max(1, (tools.brushSize * view.scale) / 2);
    ctx.beginPath();
    ctx.arc(pointer.x, pointer.y, r, 0, Math.PI * 2);
    ctx.strokeStyle = 'rgba(0,0,0,0.7)';
    ctx.lineWidth = 3;
    ctx.stroke();
    ctx.strokeStyle = tools.tool === 'eraser' ? '#ff8a80' : '#ffffff';
    ctx.lineWidth = 1;
    ctx.stroke();
  }
}
