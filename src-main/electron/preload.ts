import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { exposeDesktop } from './desktop-bridge';
import { exposeApi } from './preload-bridge';

exposeApi(contextBridge, ipcRenderer);
exposeDesktop(contextBridge, ipcRenderer, webUtils);
