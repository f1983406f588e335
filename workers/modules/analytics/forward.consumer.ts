// Entry point of the forwarding Queue consumer for the composition root (workers/index.ts), which may
// mount only a module's top-level entry files; the code lives in ./forwarding/.
export { consumeForwardDeadLetters, consumeForwarding } from "./forwarding/forward.consumer";
