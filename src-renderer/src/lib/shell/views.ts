export const VIEWS = [
  { id: 'library', label: 'Library', key: '1' },
  { id: 'annotate', label: 'Annotate', key: '2' },
  { id: 'train', label: 'Train', key: '3' },
  { id: 'results', label: 'Results', key: '4' },
  { id: 'settings', label: 'Settings', key: '5' },
] as const;

export type ViewId = (typeof VIEWS)[number]['id'];
