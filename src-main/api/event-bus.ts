/** Fan-out of contract events ("service.event") from services to every connected transport. */
export type EventListener = (channel: string, payload: unknown) => void;

export class EventBus {
  private readonly listeners = new Set<EventListener>();

  emit(channel: string, payload: unknown): void {
    for (const listener of this.listeners) {
      try {
        listener(channel, payload);
      } catch {
        // A broken transport must not stop delivery to the others.
      }
    }
  }

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
