"""The turnos a catalog change left outside hours, as its answer lists them."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from zoneinfo import ZoneInfo

from pydantic import Field

from domain.schedule_fit import Turno
from web.api.v1.schemas import Output


class OutsideHoursOut(Output):
    """An upcoming turno a change left outside hours: kept, for the owner to decide."""

    booking_id: int
    start: datetime
    end: datetime
    professional_id: int
    service_id: int
    customer: str | None = Field(description="The name this shop knows them by")

    @classmethod
    def from_turno(cls, turno: Turno, timezone: str) -> OutsideHoursOut:
        return cls(
            booking_id=turno.booking_id,
            start=turno.starts_at.astimezone(ZoneInfo(timezone)),
            end=turno.ends_at.astimezone(ZoneInfo(timezone)),
            professional_id=turno.professional_id,
            service_id=turno.service_id,
            customer=turno.customer,
        )

    @classmethod
    def listed(cls, turnos: Iterable[Turno], timezone: str) -> list[OutsideHoursOut]:
        return [cls.from_turno(t, timezone) for t in turnos]
