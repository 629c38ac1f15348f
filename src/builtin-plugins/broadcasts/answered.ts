// Which chats of an ordered run are answered, when several are in flight at once: the cursor is the
// highest chat id below which every chat is answered, so that a run resumed from it skips no one.
export class Answered {
  private readonly open: number[] = [];
  private readonly finished = new Set<number>();

  constructor(private cursor: number) {}

  begin(chatId: number): void {
    this.open.push(chatId);
  }

  /** Marks `chatId` answered; returns the cursor now. */
  end(chatId: number): number {
    this.finished.add(chatId);
    while (this.open.length > 0 && this.finished.has(this.open[0] as number)) {
      const first = this.open.shift() as number;
      this.finished.delete(first);
      this.cursor = first;
    }
    return this.cursor;
  }
}
