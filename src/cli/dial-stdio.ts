/**
 * `drover dial-stdio`: this process's stdin and stdout joined to the daemon's socket (started when
 * none answers), as `docker system dial-stdio` is. It is what a remote drover runs over ssh
 * (`ssh HOST drover dial-stdio`): the other end speaks the socket's own protocol through the pipe,
 * and the person is whoever ssh logged in as. Bytes are relayed as they are, with backpressure both
 * ways, so nothing piles up here; each end of the protocol still bounds the frames it reads.
 */
import { openSocket } from '../client/client.ts';
import { openOrStart } from '../client/daemon-connection.ts';
import { UsageError } from './errors.ts';

export async function dialStdioCommand(argv: string[]): Promise<number> {
  if (argv.length > 0) throw new UsageError(`dial-stdio takes no arguments, got "${argv.join(' ')}"`);
  const socket = await openOrStart(process.env, openSocket);
  const { stdin, stdout } = process;
  // Our input ended (ssh closed the channel): the daemon gets its end-of-stream and closes its side.
  stdin.pipe(socket);
  socket.pipe(stdout);
  // The far side went away mid-write: nothing is left to relay.
  stdout.on('error', () => socket.destroy());
  socket.on('error', () => socket.destroy());
  await new Promise((resolve) => socket.once('close', resolve));
  stdin.unpipe(socket);
  stdin.destroy();
  return 0;
}
