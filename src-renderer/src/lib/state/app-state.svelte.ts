import type { ViewId } from '../shell/views';

/**
 * State shared across views: where the user is and what is selected. Views read and set it through
 * the instance handed down by context (see `app-context.ts`).
 */
export class AppState {
  view = $state<ViewId>('library');
  datasetId = $state<number | undefined>();
  imageId = $state<number | undefined>();
  runId = $state<number | undefined>();
  /** The last error shown in the status bar, readable text only. */
  error = $state<string | undefined>();

  navigate(view: ViewId): void {
    this.view = view;
  }

  openImage(datasetId: number, imageId: number): void {
    this.datasetId = datasetId;
    this.imageId = imageId;
    this.view = 'annotate';
  }

  reportError(error: unknown): void {
    this.error = error instanceof Error ? error.message : String(error);
  }
}
