# One image for every service of the fleet; docker-compose.yml picks the service with `command`.
# Node 24, an LTS line; the code also runs on Node 20 (CI here, package.json engines).
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY shared ./shared
COPY services ./services
COPY cli ./cli
COPY schemas ./schemas
RUN npx tsc -p tsconfig.json && npm prune --omit=dev

FROM node:24-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/schemas ./schemas
# The sample webhooks `dyte-bridge send` knows (cli/src/io/samples.ts).
COPY samples ./samples
COPY package.json ./
# GET /healthz on the private port of whichever service the container runs (the process answers); compose asks
# /readyz instead (deploy/docker/healthcheck.js /readyz) to start what depends on it once it can work.
COPY deploy/docker/healthcheck.js ./healthcheck.js
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 CMD ["node", "healthcheck.js"]
USER node
CMD ["node", "--enable-source-maps", "dist/services/ingress/src/main.js"]
