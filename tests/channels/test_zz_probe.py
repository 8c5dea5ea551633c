import pytest
import httpx
from fastapi import FastAPI
from tests.channels.live import WhatsAppUser
from tests.fakes.twilio_api import FakeTwilio
from tests.helpers import FixedClock
pytestmark = pytest.mark.filterwarnings("ignore:The Result.tuples:DeprecationWarning")

async def test_probe(live: tuple[FastAPI, httpx.AsyncClient], fake_twilio: FakeTwilio, clock: FixedClock) -> None:
    app, client = live
    u = WhatsAppUser(app, client, fake_twilio, "whatsapp:+5491155550000")
    for msg in ["hola", "Lucía", "Sacar turno", "dos", "2", "1", "3", "Efectivo", "1", "Mis turnos", "cancelar mi turno", "Sí"]:
        r = await u.say(msg)
        print(">>", msg, "\n", "\n".join(r))
    print(fake_twilio.sent()[-1])
