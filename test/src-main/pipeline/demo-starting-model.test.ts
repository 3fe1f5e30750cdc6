import { describe, expect, it } from 'vitest';
import { DEMO_STARTER, demoStartingModel } from '../../../src-main/pipeline/demo-starting-model';
import { parseStartingModel, starterModelNames } from '../../../src-main/pipeline/starting-model';

describe('where the demo training starts', () => {
  it('fine-tunes the starter nuclei model on the bundled data', () => {
    expect(demoStartingModel({})).toBe('starter:nuclei');
  });

  it('starts from random weights when asked, and on another folder of images', () => {
    expect(demoStartingModel({ fromScratch: true })).toBeUndefined();
    expect(demoStartingModel({ dataDir: '/data/em-slices' })).toBeUndefined();
  });

  it('starts from the model the user names, on any data', () => {
    expect(demoStartingModel({ init: 'run:3' })).toBe('run:3');
    expect(demoStartingModel({ init: 'starter:nuclei', dataDir: '/data/more-nuclei' })).toBe('starter:nuclei');
  });

  it('names a starter model the app ships', () => {
    const source = parseStartingModel(DEMO_STARTER);
    expect(source.kind).toBe('starter');
    expect(starterModelNames()).toContain(source.kind === 'starter' ? source.name : '');
  });
});
