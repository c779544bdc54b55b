"""Type into a workbook as a clerk does in LibreOffice Calc, run by the system Python
with LibreOffice's UNO bridge: `python3 lo_type.py IN.xlsx OUT.xlsx PROFILE SHEET!CELL=TEXT ...`.

Each text goes through Calc's own input handling (the `.uno:EnterString` command the
input line sends when Enter is pressed), so a Text-formatted cell keeps `=100%` as text
and a General cell makes it a formula, exactly as typing does; the result is saved as
.xlsx by Calc."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid

sys.path.append("/usr/lib/libreoffice/program")
import uno  # noqa: E402
from com.sun.star.beans import PropertyValue  # noqa: E402


def _prop(name: str, value: object) -> PropertyValue:
    p = PropertyValue()
    p.Name, p.Value = name, value
    return p


def main(source: str, target: str, profile: str, edits: list[str]) -> None:
    pipe = f"docgen{uuid.uuid4().hex}"
    office = subprocess.Popen(
        ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--invisible", "--norestore", f"--accept=pipe,name={pipe};urp;"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        local = uno.getComponentContext()
        resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
        for _ in range(240):
            try:
                ctx = resolver.resolve(f"uno:pipe,name={pipe};urp;StarOffice.ComponentContext")
                break
            except Exception:
                time.sleep(0.5)
        else:
            raise SystemExit("LibreOffice did not start")
        smgr = ctx.ServiceManager
        desktop = smgr.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
        dispatcher = smgr.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
        doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(os.path.abspath(source)), "_blank", 0, (_prop("Hidden", True),))
        frame = doc.getCurrentController().getFrame()
        for edit in edits:
            where, text = edit.split("=", 1)
            sheet, cell = where.split("!")
            doc.getCurrentController().setActiveSheet(doc.getSheets().getByName(sheet))
            dispatcher.executeDispatch(frame, ".uno:GoToCell", "", 0, (_prop("ToPoint", cell),))
            dispatcher.executeDispatch(frame, ".uno:EnterString", "", 0, (_prop("StringName", text),))
        doc.storeToURL(uno.systemPathToFileUrl(os.path.abspath(target)), (_prop("FilterName", "Calc MS Excel 2007 XML"),))
        doc.close(True)
        try:
            desktop.terminate()
        except Exception:
            pass  # the bridge goes down with the office
    finally:
        try:
            office.wait(timeout=30)
        except subprocess.TimeoutExpired:
            office.kill()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:])
