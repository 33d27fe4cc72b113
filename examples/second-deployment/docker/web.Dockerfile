# tasks-web: the Todo Chatbot single-page app, bundled by Vite in a Node stage and served by nginx as UID 101
# on port 8080. Build context: images/frontend (this file lives outside it; its .dockerignore applies):
#   docker build -f examples/second-deployment/docker/web.Dockerfile -t tasks-web:1.0.0 images/frontend
# Both bases are build arguments. Offline, the local Debian bases replace them (scripts/build.sh --base local,
# or tag the local bases under these upstream names).
ARG NODE_IMAGE=node:20-bookworm-slim
ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:1.27-bookworm

FROM ${NODE_IMAGE} AS bundle
WORKDIR /bundle
# The lockfile alone first: `npm ci` stays cached until package*.json change, whatever the sources do.
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY index.html vite.config.js ./
COPY public/ public/
COPY src/ src/
RUN npm run build

FROM ${NGINX_IMAGE}
LABEL org.opencontainers.image.title="tasks-web" \
      org.opencontainers.image.description="Todo Chatbot single-page app on nginx (second deployment)" \
      org.opencontainers.image.version="1.0.0"
# What runs, nothing that builds: the bundle, nginx's config template and the entrypoint that renders it into /tmp.
COPY --from=bundle /bundle/dist /usr/share/nginx/todo-chatbot
COPY nginx/nginx.conf.template /etc/todo-chatbot/nginx.conf.template
COPY docker-entrypoint.sh /usr/local/bin/docker-entrypoint.sh
# The api Service of release "tasks"; the chart sets it per release.
ENV BACKEND_URL=http://tasks-api:8000
USER 101
EXPOSE 8080
# nginx drains the requests in flight on SIGQUIT before it exits.
STOPSIGNAL SIGQUIT
# busybox wget on the local base, curl on the upstream Debian one: whichever the image has answers.
HEALTHCHECK --interval=10s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/bin/sh", "-c", "wget -q -O /dev/null http://127.0.0.1:8080/health.html 2>/dev/null || curl -fsS -o /dev/null http://127.0.0.1:8080/health.html"]
ENTRYPOINT ["/usr/local/bin/docker-entrypoint.sh"]
CMD ["nginx", "-e", "stderr", "-c", "/tmp/nginx/nginx.conf"]
