// A minimal Cloud Run service: answers on $PORT (Cloud Run sets it; 8080 by default).
import { createServer } from 'node:http';

createServer((_req, res) => res.end(`hello from ${process.env.K_REVISION ?? 'local'}\n`)).listen(Number(process.env.PORT ?? 8080));
