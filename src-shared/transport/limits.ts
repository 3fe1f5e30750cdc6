/**
 * Largest WebSocket message the browser-mode server accepts from a page (ws `maxPayload`); a larger
 * one would close the connection, so the page refuses to send it and says so instead.
 */
export const MAX_WS_MESSAGE_BYTES = 512 * 1024 * 1024;
