/** What a run allocated (model, step engine, tile source), released in reverse order however the run ended. */
export class OwnedResources {
  private readonly releases: Array<() => unknown> = [];

  own<T>(value: T, release: (value: T) => unknown): T {
    this.releases.push(() => release(value));
    return value;
  }

  async releaseAll(): Promise<void> {
    for (let release = this.releases.pop(); release; release = this.releases.pop()) await release();
  }
}
