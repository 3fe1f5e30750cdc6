import { describe, expect, it } from 'vitest';
import { BACKGROUND_COLOR, defaultClassColor, OBJECT_CLASS_COLORS } from '../../../src-shared/contract/class-colors';

describe('defaultClassColor', () => {
  it('gives background its colour and object classes the list in turn', () => {
    expect(defaultClassColor(1)).toBe(BACKGROUND_COLOR);
    expect(defaultClassColor(2)).toBe('#e53e3e');
    expect(defaultClassColor(9)).toBe('#718096');
    expect(defaultClassColor(10)).toBe(defaultClassColor(2));
    expect(new Set(OBJECT_CLASS_COLORS).size).toBe(OBJECT_CLASS_COLORS.length);
    expect(OBJECT_CLASS_COLORS).not.toContain(BACKGROUND_COLOR);
  });
});
