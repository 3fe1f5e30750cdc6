import { contextBridge, ipcRenderer } from 'electron';
import { exposeApi } from './preload-bridge';

exposeApi(contextBridge, ipcRenderer);
