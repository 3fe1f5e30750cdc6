import type { z } from 'zod';

/**
 * The building blocks of the API contract. A service is declared once, as data: each method has an
 * input schema (validated at the boundary) and a phantom result type; each event a phantom payload
 * type. Clients, the preload bridge and the dispatcher are all generic over these declarations, so
 * adding a method needs no glue code anywhere.
 */
export interface MethodDef<In, Out, Result> {
  readonly input: z.ZodType<Out, In> | null;
  /** Phantom: never set at run time. */
  readonly _types?: { in: In; out: Out; result: Result };
}

export interface EventDef<Payload> {
  readonly _payload?: Payload;
}

export interface ServiceDef {
  readonly methods: Record<string, MethodDef<any, any, any>>;
  readonly events: Record<string, EventDef<any>>;
}

export type ContractDef = Record<string, ServiceDef>;

/** A method without input. */
export function method(): { returns<R>(): MethodDef<void, void, R> };
/** A method with one input object, validated by `schema`. */
export function method<S extends z.ZodType>(schema: S): { returns<R>(): MethodDef<z.input<S>, z.output<S>, R> };
export function method(schema?: z.ZodType) {
  return { returns: () => ({ input: schema ?? null }) };
}

export function event<P>(): EventDef<P> {
  return {};
}

export function defineService<const M extends ServiceDef['methods'], const E extends ServiceDef['events']>(
  service: { methods: M; events: E },
): { methods: M; events: E } {
  return service;
}

export type Unsubscribe = () => void;

type MethodFn<D> = D extends MethodDef<infer In, any, infer R> ? ([In] extends [void] ? () => Promise<R> : (input: In) => Promise<R>) : never;

type EventFns<E extends ServiceDef['events']> = {
  [K in keyof E & string as `on${Capitalize<K>}`]: E[K] extends EventDef<infer P> ? (listener: (payload: P) => void) => Unsubscribe : never;
};

/** What a caller sees of one service: async methods plus `onX` event subscriptions. */
export type ServiceApi<S extends ServiceDef> = { [K in keyof S['methods']]: MethodFn<S['methods'][K]> } & EventFns<S['events']>;

/** What an implementation provides: methods receive the validated (parsed) input. */
export type ServiceImpl<S extends ServiceDef> = {
  [K in keyof S['methods']]: S['methods'][K] extends MethodDef<any, infer Out, infer R>
    ? [Out] extends [void]
      ? () => Promise<R> | R
      : (input: Out) => Promise<R> | R
    : never;
};

export type ContractApi<C extends ContractDef> = { [K in keyof C]: ServiceApi<C[K]> };
export type ContractImpl<C extends ContractDef> = { [K in keyof C]: ServiceImpl<C[K]> };

/** Result type of a service's method (what `dispatch` returns as `value` for it). */
export type MethodResult<S extends ServiceDef, M extends keyof S['methods']> = S['methods'][M] extends MethodDef<any, any, infer R> ? R : never;

/** Names of all methods and events, as "service.name" strings, in declaration order. */
export function contractManifest(contract: ContractDef): { methods: string[]; events: string[] } {
  const methods: string[] = [];
  const events: string[] = [];
  for (const [service, def] of Object.entries(contract)) {
    for (const name of Object.keys(def.methods)) methods.push(`${service}.${name}`);
    for (const name of Object.keys(def.events)) events.push(`${service}.${name}`);
  }
  return { methods, events };
}

export function eventListenerName(eventName: string): string {
  return `on${eventName.charAt(0).toUpperCase()}${eventName.slice(1)}`;
}
