// Preloaded into a server by `run.mjs --profile` (node --import): samples the CPU between a 'profile:start' and a
// 'profile:stop' message on the IPC channel, then writes a .cpuprofile to BENCH_PROFILE_FILE and answers
// 'profile:written'. Messages rather than signals: Nest's shutdown hooks treat SIGUSR2 as a shutdown signal, and
// Node's own --cpu-prof writer never runs because those hooks end the process by re-raising SIGTERM.
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

const file = process.env.BENCH_PROFILE_FILE;
if (file && process.send) {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 500 });
  process.on('message', async (message) => {
    if (message === 'profile:start') await session.post('Profiler.start');
    if (message === 'profile:stop') {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      process.send('profile:written');
    }
  });
  // The channel must not keep a stopped server alive.
  process.channel.unref();
}
