/** The two IPC channels of the desktop transport: one for calls, one for events. */
export const IPC_CALL = 'unet:call';
export const IPC_EVENT = 'unet:event';
/** The desktop-only channel for the system's open dialog. */
export const IPC_PICK_PATHS = 'unet:pick-paths';
