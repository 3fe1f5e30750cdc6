import type { UnetApi } from '../../../../src-shared/contract/index';
import type { LibraryState } from './library-state.svelte';

/** Runs `fn` at most once per `ms`, trailing call included, so bursts of events cost one refresh. */
export function throttle(fn: () => void, ms: number): { call: () => void; cancel: () => void } {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let last = 0;
  return {
    call() {
      if (timer !== undefined) return;
      const wait = Math.max(0, last + ms - Date.now());
      timer = setTimeout(() => {
        timer = undefined;
        last = Date.now();
        fn();
      }, wait);
    },
    cancel() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
}

/**
 * Keeps the Library current with what happens elsewhere: import progress, images imported or
 * re-split, data sets changed, annotations saved (by this window or another one).
 */
export function subscribeLibraryEvents(api: UnetApi, lib: LibraryState): () => void {
  const refreshImages = throttle(() => void lib.images.refresh(), 1000);
  const refreshDatasets = throttle(() => void lib.refreshDatasets(), 1000);
  const subscriptions = [
    api.jobs.onUpdate((job) => {
      const tracked = lib.importJob?.id === job.id;
      const finished = lib.onJobUpdate(job);
      if (finished) {
        void lib.refreshDatasets();
        void lib.images.refresh();
        void lib.refreshPlaneSizes();
      } else if (tracked) {
        refreshDatasets.call();
        refreshImages.call();
      }
    }),
    api.datasets.onChanged(() => refreshDatasets.call()),
    api.images.onChanged((change) => {
      if (change.datasetId === lib.datasetId && change.reason !== 'thumbnails') refreshImages.call();
    }),
    api.images.onImported((change) => {
      if (change.datasetId === lib.datasetId) refreshImages.call();
      refreshDatasets.call();
    }),
    api.annotations.onSaved((saved) => {
      if (saved.datasetId === lib.datasetId) refreshImages.call();
      refreshDatasets.call();
    }),
  ];
  return () => {
    for (const unsubscribe of subscriptions) unsubscribe();
    refreshImages.cancel();
    refreshDatasets.cancel();
  };
}
