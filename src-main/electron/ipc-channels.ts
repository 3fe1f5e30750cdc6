/** The two IPC channels of the desktop transport: one for calls, one for events. */
export const IPC_CALL = 'unet:call';
export const IPC_EVENT = 'unet:event';
