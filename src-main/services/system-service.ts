import type { ServiceImpl } from '../../src-shared/contract/define';
import type { ComputeInfo, GpuDoctorReport, SystemInfo } from '../../src-shared/contract/system';
import type { systemService } from '../../src-shared/contract/system';
import { packageInfo } from '../support/app-info';
import type { Logger } from '../support/logger';

export interface SystemServiceDeps {
  mode: SystemInfo['mode'];
  workspacePath: () => string;
  compute: () => ComputeInfo | Promise<ComputeInfo>;
  /** The GPU doctor's full report (asked again, not cached, when the user asks for it). */
  gpu: () => Promise<GpuDoctorReport>;
  logger: Logger;
}

export function createSystemService(deps: SystemServiceDeps): ServiceImpl<typeof systemService> {
  return {
    async info() {
      const pkg = packageInfo();
      const versions: Record<string, string> = { node: process.versions.node, v8: process.versions.v8 };
      if (process.versions.electron) versions.electron = process.versions.electron;
      if (process.versions.chrome) versions.chrome = process.versions.chrome;
      return {
        appName: pkg.productName,
        appVersion: pkg.version,
        mode: deps.mode,
        platform: `${process.platform}-${process.arch}`,
        versions,
        compute: await deps.compute(),
        workspacePath: deps.workspacePath(),
      } satisfies SystemInfo;
    },
    gpu() {
      return deps.gpu();
    },
    ping({ echo }) {
      return { echo, time: new Date().toISOString() };
    },
    recentLogs({ limit }) {
      return deps.logger.recent(limit);
    },
  };
}
