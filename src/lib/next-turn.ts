// Lets everything waiting on the event loop (I/O, timers) run before long synchronous work goes on.
export function nextTurn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
