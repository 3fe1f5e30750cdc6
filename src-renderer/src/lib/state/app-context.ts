import { getContext, setContext } from 'svelte';
import type { AppState } from './app-state.svelte';

const KEY = Symbol('app-state');

export function provideAppState(state: AppState): void {
  setContext(KEY, state);
}

export function useAppState(): AppState {
  const state = getContext<AppState | undefined>(KEY);
  if (!state) throw new Error('AppState is not provided');
  return state;
}
