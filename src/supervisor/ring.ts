// Why: a log ring that drops its oldest line in O(1); Array#shift on 1,500 lines moved them all, per line.

/** A fixed-capacity ring buffer, oldest first. */
export class Ring<T> {
  private readonly items: (T | undefined)[];
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number, initial: T[] = []) {
    this.items = new Array<T | undefined>(capacity);
    for (const item of initial.slice(-capacity)) this.push(item);
  }

  /** Adds an item, dropping the oldest when full. */
  push(item: T): void {
    if (this.capacity === 0) return;
    if (this.count < this.capacity) {
      this.items[(this.start + this.count++) % this.capacity] = item;
    } else {
      this.items[this.start] = item;
      this.start = (this.start + 1) % this.capacity;
    }
  }

  /** How many items it holds. */
  get length(): number {
    return this.count;
  }

  /** The i-th oldest item (0 ≤ i < length). */
  at(i: number): T {
    return this.items[(this.start + i) % this.capacity] as T;
  }
}
