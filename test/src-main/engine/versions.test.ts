import * as tf from '@tensorflow/tfjs-core';
import * as tfl from '@tensorflow/tfjs-layers';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { packageInfo } from '../../../src-main/support/app-info';
import { installedVersion, runVersions, softwareVersions, tfjsVersion } from '../../../src-main/engine/versions';

describe('software versions', () => {
  it('reads the versions of the packages that are loaded, without loading them', () => {
    expect(tfjsVersion()).toBe(tf.version_core);
    expect(installedVersion('@tensorflow/tfjs-layers')).toBe(tfl.version_layers);
    expect(installedVersion('no-such-package-here')).toBeNull();
  });

  it('records the same versions with a model and with a run', () => {
    const versions = softwareVersions();
    expect(versions).toMatchObject({
      app: packageInfo().version,
      node: process.versions.node,
      'tfjs-core': tf.version_core,
      'tfjs-layers': tfl.version_layers,
      'onnxruntime-node': expect.stringMatching(/^\d+\.\d+\.\d+/),
    });
    expect(ort.env.versions?.node ?? versions['onnxruntime-node']).toBe(versions['onnxruntime-node']);
    expect(runVersions()).toEqual({ appVersion: packageInfo().version, tfjsVersion: tf.version_core, versions });
  });
});
