"""The composed views: one call per screen, parts fetched concurrently from the services."""

from __future__ import annotations

from fastapi import APIRouter

from gateway.views import canton, goal_grid, partner, report_exports, report_routes, sem

router = APIRouter()
router.include_router(canton.router)
router.include_router(sem.router)
router.include_router(report_exports.router)
router.include_router(report_routes.router)
router.include_router(partner.router)
router.include_router(goal_grid.router)
