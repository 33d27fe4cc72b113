"""The files of the reference deployment the mutants edit, relative to its root."""

from __future__ import annotations

CHART = "helm/todo-chatbot"
T = f"{CHART}/templates"
BACKEND_DOCKERFILE = "images/backend/Dockerfile"
FRONTEND_DOCKERFILE = "images/frontend/Dockerfile"
NGINX = "images/frontend/nginx/nginx.conf.template"
MAIN_JS = "images/frontend/src/main.js"
API_JS = "images/frontend/src/api.js"
STYLE_CSS = "images/frontend/src/style.css"
SCRIPTS = ("minikube-setup.sh", "build-images.sh", "deploy.sh", "cleanup.sh")
DEPLOY = "deployment/deploy.sh"
SETUP = "deployment/minikube-setup.sh"
GUIDE = "deployment/README.md"
