import type { annotationsService } from '../../src-shared/contract/annotations';
import type { ServiceImpl } from '../../src-shared/contract/define';
import type { AnnotationData, AnnotationSaveResult, AnnotationSource } from '../../src-shared/contract/records';
import { acceptPrediction } from '../pipeline/accept-prediction';
import type { WorkspaceContext } from '../pipeline/workspace-context';

export function createAnnotationsService(ctx: WorkspaceContext): ServiceImpl<typeof annotationsService> {
  const announce = (result: AnnotationSaveResult, source: AnnotationSource): AnnotationSaveResult => {
    if (!result.unchanged) {
      const image = ctx.workspace.current.images.get(result.imageId);
      ctx.bus.emit('annotations.saved', { imageId: result.imageId, datasetId: image.datasetId, version: result.version, source });
    }
    return result;
  };
  return {
    get({ imageId, version }): AnnotationData {
      const store = ctx.workspace.current;
      const image = store.images.get(imageId);
      const found = version === undefined ? store.annotations.latest(imageId) : store.annotations.version(imageId, version);
      if (found) {
        const { id: _id, ...data } = found;
        return data;
      }
      const pixels = image.width * image.height;
      return {
        imageId,
        version: 0,
        width: image.width,
        height: image.height,
        classMap: new Uint8Array(pixels),
        instanceMap: new Uint32Array(pixels),
        createdAt: null,
        author: null,
        source: null,
        predictionRunId: null,
      };
    },
    save({ imageId, baseVersion, classMap, instanceMap, author, message }) {
      const result = ctx.workspace.current.annotations.save(imageId, { classMap, instanceMap, baseVersion, author, message, source: 'paint' });
      return announce(result, 'paint');
    },
    tiles({ imageId, version }) {
      const store = ctx.workspace.current;
      const image = store.images.get(imageId);
      return store.annotations.labelTiles(imageId, image.width, image.height, version);
    },
    saveTiles({ imageId, baseVersion, tiles, author, message }) {
      const result = ctx.workspace.current.annotations.saveTiles(imageId, { tiles, baseVersion, author, message, source: 'paint' });
      return announce(result, 'paint');
    },
    async acceptPrediction({ imageId, runId, baseVersion, author }) {
      const accepted = await acceptPrediction(ctx, { imageId, runId, baseVersion, author });
      announce(accepted, 'prediction');
      return accepted;
    },
    history({ imageId }) {
      const store = ctx.workspace.current;
      store.images.get(imageId);
      return store.annotations.history(imageId);
    },
    restore({ imageId, version, baseVersion, author }) {
      return announce(ctx.workspace.current.annotations.restore(imageId, version, { baseVersion, author }), 'restore');
    },
  };
}
