# syntax=docker/dockerfile:1
# Tapereader: multi-stage build on the official Node 20 image; runs as the non-root `node` user.

FROM node:20-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json prisma.config.ts ./
COPY prisma ./prisma
# postinstall runs `prisma generate` with the Wasm engine: no binary download needed.
RUN npm ci --no-audit --no-fund

FROM deps AS build
COPY . .
RUN npx tsc --noEmit && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/data
WORKDIR /app
COPY --from=build --chown=node:node /app /app
RUN install -d -o node -g node /data
USER node
VOLUME ["/data"]
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
# `start` applies pending migrations before anything else runs.
CMD ["node", "--import", "tsx", "src/cli/main.ts", "start"]
