/**
 * Base of the view sessions that call the API: counts calls in flight (`busy` disables buttons) and
 * turns a failed call into a readable `error` instead of an unhandled rejection.
 */
export abstract class GuardedSession {
  /** Calls in flight; the view disables its buttons while any is. */
  pending = $state(0);
  error = $state<string | undefined>();
  readonly busy = $derived(this.pending > 0);

  protected async guard<T>(work: () => Promise<T>): Promise<T | undefined> {
    this.pending++;
    try {
      return await work();
    } catch (e) {
      this.error = e instanceof Error ? e.message : String(e);
      return undefined;
    } finally {
      this.pending--;
    }
  }
}
