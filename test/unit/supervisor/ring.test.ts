import { describe, expect, it } from 'vitest';
import { Ring } from '../../../src/supervisor/ring.js';

const items = <T>(r: Ring<T>): T[] => Array.from({ length: r.length }, (_, i) => r.at(i));

describe('Ring', () => {
  it('keeps the newest items, oldest first, across wrap-around', () => {
    const r = new Ring<number>(3);
    for (let i = 1; i <= 7; i++) r.push(i);
    expect(r.length).toBe(3);
    expect(items(r)).toEqual([5, 6, 7]);
  });

  it('fills from an initial list, keeping only what fits', () => {
    expect(items(new Ring(2, [1, 2, 3, 4]))).toEqual([3, 4]);
    expect(items(new Ring(5, [1, 2]))).toEqual([1, 2]);
  });

  it('holds nothing with capacity 0', () => {
    const r = new Ring<number>(0);
    r.push(1);
    expect(r.length).toBe(0);
  });
});
