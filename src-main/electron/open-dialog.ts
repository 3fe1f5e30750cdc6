import type { BaseWindow, OpenDialogOptions, OpenDialogReturnValue } from 'electron';
import { z } from 'zod';
import { PICK_PATHS_KINDS } from '../../src-shared/contract/desktop';
import { IMAGE_EXTENSIONS } from '../io/image-format';

const pickPathsInput = z.object({ kind: z.enum(PICK_PATHS_KINDS), title: z.string().max(200).optional() });

export type ShowOpenDialog = (window: BaseWindow, options: OpenDialogOptions) => Promise<OpenDialogReturnValue>;

/** The dialog's options for folders or image files, several at a time. */
export function openDialogOptions(kind: (typeof PICK_PATHS_KINDS)[number], title?: string): OpenDialogOptions {
  return kind === 'folders'
    ? { title: title ?? 'Import folders', properties: ['openDirectory', 'multiSelections'] }
    : {
        title: title ?? 'Import images',
        properties: ['openFile', 'multiSelections'],
        filters: [{ name: 'Images', extensions: Object.keys(IMAGE_EXTENSIONS).map((e) => e.slice(1)) }],
      };
}

/**
 * Answers the page's pick-paths request: validates what the page sent (it is untrusted input like any
 * API call), shows the dialog over the app window, and returns the chosen paths ([] when cancelled
 * or when the request is malformed).
 */
export function createPickPaths(show: ShowOpenDialog, window: () => BaseWindow | undefined) {
  return async (input: unknown): Promise<string[]> => {
    const parsed = pickPathsInput.safeParse(input);
    const win = window();
    if (!parsed.success || !win) return [];
    const result = await show(win, openDialogOptions(parsed.data.kind, parsed.data.title));
    return result.canceled ? [] : result.filePaths;
  };
}
