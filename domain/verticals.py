"""Presets per kind of business: the policy and starter services a new shop begins with."""

from __future__ import annotations

from dataclasses import dataclass

from domain.model import BookingPolicy, Vertical


@dataclass(frozen=True)
class StarterService:
    """A service a new shop of this kind usually offers (price in whole pesos)."""

    name: str
    duration_minutes: int
    price_pesos: int
    buffer_after_minutes: int = 0
    seats: int = 1


@dataclass(frozen=True)
class VerticalPreset:
    """What a shop of this kind starts with; everything stays editable."""

    label: str
    professional_word: str
    policy: BookingPolicy
    services: tuple[StarterService, ...]


PRESETS: dict[Vertical, VerticalPreset] = {
    Vertical.BARBERIA: VerticalPreset(
        label="Barbería",
        professional_word="barbero",
        policy=BookingPolicy(
            min_notice_minutes=30,
            max_days_ahead=30,
            slot_step_minutes=15,
            hold_minutes=10,
            free_cancellation_hours=3,
        ),
        services=(
            StarterService("Corte", 30, 12000, buffer_after_minutes=5),
            StarterService("Barba", 20, 8000, buffer_after_minutes=5),
            StarterService("Corte + barba", 45, 18000, buffer_after_minutes=5),
        ),
    ),
    Vertical.PSICOLOGIA: VerticalPreset(
        label="Psicología",
        professional_word="psicólogo/a",
        policy=BookingPolicy(
            min_notice_minutes=12 * 60,
            max_days_ahead=60,
            slot_step_minutes=60,
            hold_minutes=30,
            free_cancellation_hours=24,
        ),
        services=(StarterService("Sesión individual", 50, 35000, buffer_after_minutes=10),),
    ),
    Vertical.MEDICINA: VerticalPreset(
        label="Medicina",
        professional_word="médico/a",
        policy=BookingPolicy(
            min_notice_minutes=2 * 60,
            max_days_ahead=90,
            slot_step_minutes=20,
            hold_minutes=20,
            free_cancellation_hours=24,
        ),
        services=(StarterService("Consulta", 20, 40000),),
    ),
    Vertical.ESTETICA: VerticalPreset(
        label="Estética",
        professional_word="profesional",
        policy=BookingPolicy(
            min_notice_minutes=60,
            max_days_ahead=45,
            slot_step_minutes=15,
            hold_minutes=15,
            free_cancellation_hours=12,
        ),
        services=(
            StarterService("Manicura", 45, 15000, buffer_after_minutes=10),
            StarterService("Limpieza facial", 60, 28000, buffer_after_minutes=10),
        ),
    ),
}
