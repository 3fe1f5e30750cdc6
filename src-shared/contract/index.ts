import type { ContractApi, ContractDef, ContractImpl } from './define';
import { annotationsService } from './annotations';
import { datasetsService } from './datasets';
import { imagesService } from './images';
import { jobsService } from './jobs';
import { resultsService } from './results';
import { runsService } from './runs';
import { segmentationService } from './segmentation';
import { systemService } from './system';
import { trainingService } from './training';
import { workspaceService } from './workspace';

/**
 * The one API contract of the application. Every service the renderer, the CLI or a remote browser
 * may call is listed here; the preload, the WebSocket client and the dispatcher are derived from it.
 * To add a method: declare it in its service file; nothing else is needed for it to travel.
 */
export const contract = {
  system: systemService,
  jobs: jobsService,
  workspace: workspaceService,
  datasets: datasetsService,
  images: imagesService,
  annotations: annotationsService,
  runs: runsService,
  results: resultsService,
  training: trainingService,
  segmentation: segmentationService,
} satisfies ContractDef;

export type Contract = typeof contract;
export type UnetApi = ContractApi<Contract>;
export type UnetServices = ContractImpl<Contract>;

export * from './define';
export * from './errors';
export type * from './system';
export type * from './jobs';
export * from './records';
export type * from './workspace';
export type * from './datasets';
export type * from './images';
export type * from './annotations';
export type * from './runs';
export type * from './results';
export type * from './training';
export type * from './segmentation';
