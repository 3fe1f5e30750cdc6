import type { UnetApi } from '../../../../src-shared/contract/index';
import type { AnnotationVersionInfo } from '../../../../src-shared/contract/records';

/** The saved versions of the open image's annotation, newest first, reloaded after each save. */
export class VersionHistory {
  versions = $state.raw<AnnotationVersionInfo[]>([]);
  error = $state<string | undefined>();
  private seq = 0;

  constructor(private readonly api: () => UnetApi) {}

  async load(imageId: number | undefined): Promise<void> {
    const seq = ++this.seq;
    if (imageId === undefined) {
      this.versions = [];
      return;
    }
    try {
      const versions = await this.api().annotations.history({ imageId });
      if (seq === this.seq) {
        this.versions = versions;
        this.error = undefined;
      }
    } catch (error) {
      if (seq === this.seq) this.error = error instanceof Error ? error.message : String(error);
    }
  }
}
