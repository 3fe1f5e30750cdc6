import { DEFAULT_PREFERENCES, loadPreferences, savePreferences, type Preferences } from './preferences';

function browserStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/** The preferences shared by the Train, Results and Settings views; every change is stored at once. */
class PreferenceStore {
  current = $state<Preferences>({ ...DEFAULT_PREFERENCES });

  constructor() {
    this.current = loadPreferences(browserStorage());
  }

  update(patch: Partial<Preferences>): void {
    this.current = { ...this.current, ...patch };
    savePreferences(browserStorage(), this.current);
  }

  reset(): void {
    this.update({ ...DEFAULT_PREFERENCES });
  }
}

export const preferences = new PreferenceStore();
