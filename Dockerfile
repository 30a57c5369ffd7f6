# syntax=docker/dockerfile:1
# Tapereader: multi-stage build on the official Node 20 image; runs as the non-root `node` user.
# The runtime image holds compiled JavaScript and production dependencies only: no tsx, TypeScript,
# Prisma CLI or pino-pretty.

FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
# postinstall runs `prisma generate` (a dev dependency) with the Wasm engine: no binary download needed.
RUN npm ci --no-audit --no-fund
COPY . .
# The generated client is TypeScript under src/store/generated, so it is compiled into dist/ too.
RUN npx tsc --noEmit && npm run -s build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY package.json package-lock.json ./
# Not `npm ci --omit=dev`: npm would keep the Prisma CLI and TypeScript, optional peers of
# @prisma/client, because the project lists them as dev dependencies. Without that list they are not
# installed at all, and every runtime package keeps the version the lockfile pins. --ignore-scripts:
# postinstall's `prisma generate` needs the CLI, and its output is already compiled into dist/.
RUN npm pkg delete devDependencies \
 && npm install --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /app/dist ./dist
# The migrator reads the SQL files at run time (../../prisma/migrations from dist/store).
COPY prisma/migrations ./prisma/migrations
RUN install -d -o node -g node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# `start` applies pending migrations before anything else runs.
CMD ["node", "--enable-source-maps", "dist/cli/main.js", "start"]
