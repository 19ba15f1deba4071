# One image for every service of the fleet; docker-compose.yml picks the service with `command`.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY shared ./shared
COPY services ./services
COPY cli ./cli
COPY schemas ./schemas
RUN npx tsc -p tsconfig.json && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/schemas ./schemas
# The sample webhooks `dyte-bridge send` knows (cli/src/io/samples.ts).
COPY samples ./samples
COPY package.json ./
USER node
CMD ["node", "--enable-source-maps", "dist/services/ingress/src/main.js"]
