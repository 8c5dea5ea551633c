import sys
from tests.conversations.driver import EngineChat, context
def run(*msgs, name=None):
    chat = EngineChat(ctx=context(customer_name=name) if name is None else context())
    for m in msgs:
        chat.send(m)
        print(">", m, "|", chat.state.step, "|", chat.text.replace("\n"," / ")[:200], [c.label for r in chat.replies for c in r.choices][:6])
    print()
run(*sys.argv[1:])
