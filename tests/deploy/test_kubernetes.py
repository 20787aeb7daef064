"""Every kustomization builds and validates offline against the Kubernetes schemas, and keeps the promises the
deployment makes: probes, limits, non-root read-only containers, a migration Job, an autoscaler and a
disruption budget per service, and an Ingress only for the gateway's API and docs."""

from __future__ import annotations

from typing import Any

import kubernetes_validate
import pytest
import yaml

from tests.deploy.conftest import K8S, OVERLAYS, SERVICES, SERVICES_WITH_DATABASE, build, of_kind

KUBERNETES_VERSION = "1.32.0"
BUILDS = ["base", *(f"overlays/{o}" for o in OVERLAYS)]


def test_there_is_a_dev_and_a_prod_overlay() -> None:
    assert {"dev", "prod"} <= set(OVERLAYS)


@pytest.mark.parametrize("path", BUILDS)
def test_each_build_validates_strictly_against_the_kubernetes_schemas(path: str) -> None:
    docs = build(path)
    assert docs
    for doc in docs:
        try:
            kubernetes_validate.validate(doc, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as exc:
            pytest.fail(f"{doc['kind']}/{doc['metadata']['name']} in {path}: {exc.message} at {list(exc.path)}")


def test_the_secret_template_and_the_cloudnativepg_example_parse() -> None:
    (secret,) = yaml.safe_load_all((K8S / "base" / "secret.template.yaml").read_text())
    kubernetes_validate.validate(secret, KUBERNETES_VERSION, strict=True)
    assert set(secret["stringData"]) == {f"{s.upper()}_DATABASE_URL" for s in SERVICES_WITH_DATABASE}
    (cluster,) = yaml.safe_load_all((K8S / "examples" / "cloudnativepg-cluster.yaml").read_text())
    assert cluster["kind"] == "Cluster"


def containers(workload: dict[str, Any]) -> list[dict[str, Any]]:
    return list(workload["spec"]["template"]["spec"]["containers"])


@pytest.mark.parametrize("path", BUILDS)
def test_every_service_has_a_hardened_probed_limited_deployment_with_hpa_pdb_and_service(path: str) -> None:
    docs = build(path)
    deployments, hpas, pdbs = (
        of_kind(docs, "Deployment"),
        of_kind(docs, "HorizontalPodAutoscaler"),
        of_kind(docs, "PodDisruptionBudget"),
    )
    services = of_kind(docs, "Service")
    for name in SERVICES:
        deployment = deployments[name]
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["automountServiceAccountToken"] is False
        (container,) = containers(deployment)
        assert container["readinessProbe"]["httpGet"]["path"] == ("/healthz" if name == "gateway" else "/readyz")
        assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
        assert {"cpu", "memory"} <= set(container["resources"]["requests"])
        assert {"cpu", "memory"} <= set(container["resources"]["limits"])
        security = container["securityContext"]
        assert security["readOnlyRootFilesystem"] is True
        assert security["allowPrivilegeEscalation"] is False
        assert security["capabilities"]["drop"] == ["ALL"]
        assert {"name": "KIP_SERVICE", "value": name} in container["env"]
        assert hpas[name]["spec"]["scaleTargetRef"]["name"] == name
        assert hpas[name]["spec"]["minReplicas"] <= hpas[name]["spec"]["maxReplicas"]
        assert pdbs[name]["spec"]["selector"]["matchLabels"] == deployment["spec"]["selector"]["matchLabels"]
        assert services[name]["spec"]["selector"] == deployment["spec"]["selector"]["matchLabels"]


@pytest.mark.parametrize("path", BUILDS)
def test_each_service_with_a_database_has_a_migration_job_reading_its_url_from_the_secret(path: str) -> None:
    docs = build(path)
    jobs = of_kind(docs, "Job")
    assert set(jobs) == {f"{s}-migrate" for s in SERVICES_WITH_DATABASE}
    for service in SERVICES_WITH_DATABASE:
        (container,) = containers(jobs[f"{service}-migrate"])
        assert container["args"] == ["migrate"]
        assert container["securityContext"]["readOnlyRootFilesystem"] is True
        url = next(e for e in container["env"] if e["name"] == f"{service.upper()}_DATABASE_URL")
        assert url["valueFrom"]["secretKeyRef"]["name"].startswith("kip-database")


@pytest.mark.parametrize("path", BUILDS)
def test_only_the_gateways_api_and_docs_are_exposed_never_metrics(path: str) -> None:
    (ingress,) = of_kind(build(path), "Ingress").values()
    paths = [p for rule in ingress["spec"]["rules"] for p in rule["http"]["paths"]]
    assert {p["backend"]["service"]["name"] for p in paths} == {"gateway"}
    assert {p["path"] for p in paths} == {"/api", "/docs", "/openapi.json"}


def test_prod_takes_tokens_from_oidc_and_its_database_secret_from_outside() -> None:
    docs = build("overlays/prod")
    (config,) = of_kind(docs, "ConfigMap").values()
    assert config["data"]["KIP_AUTH_JWKS_URL"].startswith("https://")
    assert config["data"]["KIP_AUTH_ISSUER"].startswith("https://")
    assert "OTEL_EXPORTER_OTLP_ENDPOINT" not in config["data"]  # tracing off unless configured
    assert of_kind(docs, "Secret") == {}  # no credentials in the repository
    assert all(d["metadata"].get("namespace") == "kip" for d in docs if d["kind"] != "Namespace")
    for deployment in of_kind(docs, "Deployment").values():
        assert deployment["spec"]["replicas"] >= 3
        assert containers(deployment)[0]["image"].startswith("registry.example.org/")
    (ingress,) = of_kind(docs, "Ingress").values()
    assert ingress["spec"]["tls"][0]["hosts"] == [ingress["spec"]["rules"][0]["host"]]


def test_dev_brings_its_own_postgresql_and_the_local_signing_key() -> None:
    docs = build("overlays/dev")
    assert "postgres" in of_kind(docs, "StatefulSet")
    secrets = of_kind(docs, "Secret")
    database = next(s for n, s in secrets.items() if n.startswith("kip-database-"))
    assert set(database["data"]) == {f"{s.upper()}_DATABASE_URL" for s in SERVICES_WITH_DATABASE}
    for deployment in of_kind(docs, "Deployment").values():
        mounts = containers(deployment)[0]["volumeMounts"]
        assert {"name": "signing-key", "mountPath": "/app/var/keys", "readOnly": True} in mounts
