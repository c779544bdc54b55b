"""`docgen profiles`: list the scoring rule profiles, print one as a bureau publishes
it, write a bureau's own copy to edit."""

from __future__ import annotations

from pathlib import Path

import typer

from docgen.build.profiles import ProfileExists, new_profile
from docgen.check.checking import known_profiles
from docgen.cli.chinese import ChineseCommand, ChineseGroup
from docgen.cli.common import run as _run
from docgen.registry.manifest import default_registry
from docgen.registry.profiles.describe import describe
from docgen.registry.profiles.store import Profile, env_folders

profiles_app = typer.Typer(
    cls=ChineseGroup,
    help="评分规则配置：列出、查看、复制一份自己的规则。",
    invoke_without_command=True,
    epilog="""
    docgen profiles
    列出 docgen 自带的与自己的评分规则
    docgen profiles show national-2020
    """,
)

PROFILES_DIR = typer.Option(
    None, "--profiles", help="自己的规则配置所在的文件夹（默认：当前文件夹下的 profiles/，以及环境变量 DOCGEN_PROFILES）", show_default=False
)


def _all(folder: Path | None) -> dict[str, Profile]:
    folders = [*([folder] if folder else []), *env_folders(), Path("profiles")]
    return _run(lambda: known_profiles(default_registry(), folders))


def _named(name: str, folder: Path | None) -> Profile:
    profiles = _all(folder)
    if name not in profiles:
        _refuse(f"没有评分规则「{name}」；可用的规则：{'、'.join(profiles)}")
    return profiles[name]


def _refuse(text: str) -> None:
    typer.echo(text, err=True)
    raise typer.Exit(2)


@profiles_app.callback()
def profiles_list(ctx: typer.Context, folder: Path = PROFILES_DIR) -> None:
    """列出可用的评分规则（docgen 自带的与自己的）及其说明。"""
    if ctx.invoked_subcommand is not None:
        return
    registry = _run(default_registry)
    used: dict[str, list[str]] = {}
    for versions in registry.kinds.values():
        for v in versions.values():
            if v.profile:
                used.setdefault(v.profile.name, []).append(v.display)
    for name, profile in _all(folder).items():
        where = "自带" if name in registry.profiles else f"自己的：{profile.source}"
        default = f"，{'、'.join(used[name])} 默认" if name in used else ""
        typer.echo(f"{name}（{where}{default}）")
        typer.echo(f"    {profile.description}")


@profiles_app.command(
    "show",
    cls=ChineseCommand,
    epilog="""
    docgen profiles show shanghai-2022
    docgen profiles show 某市-2024 --profiles 规则/
    印出放在文件夹「规则」里的自己的规则
    """,
)
def profiles_show(name: str = typer.Argument(..., help="规则名称，如 national-2020"), folder: Path = PROFILES_DIR) -> None:
    """按财政部门发布的样子印出一个评分规则的每一条。"""
    profile = _named(name, folder)
    registry = _run(default_registry)
    for line in describe(profile, source=name not in registry.profiles):
        typer.echo(line)


@profiles_app.command(
    "new",
    cls=ChineseCommand,
    epilog="""
    docgen profiles new 某市-2024 --from national-2020
    写出 profiles/某市-2024.yaml，改好后在单位文件中写 profile: 某市-2024
    """,
)
def profiles_new(
    name: str = typer.Argument(..., help="新规则的名称（即文件名），如 某市-2024"),
    source: str = typer.Option(..., "--from", help="复制自哪个规则，如 national-2020"),
    folder: Path = typer.Option(Path("profiles"), "--dir", help="写到哪个文件夹（默认：当前文件夹下的 profiles/，与单位文件放在一起时自动找到）"),
) -> None:
    """复制一个规则为自己的规则配置文件（不会覆盖已有文件），改好后在单位文件中写 profile: 名称 选用。"""
    base = _named(source, None)
    if name in _all(None) and not (folder / f"{name}.yaml").exists():
        _refuse(f"已有名为「{name}」的评分规则，请换一个名称")
    try:
        target = _run(lambda: _new(name, base, folder))
    except ProfileExists as exc:
        typer.echo(f"文件已存在，未覆盖：{exc.target}", err=True)
        raise typer.Exit(3) from None
    typer.echo(f"已写入 {target}（复制自「{source}」）")
    typer.echo(f"修改后用 docgen profiles show {name} --profiles {folder} 检查；单位文件中写 profile: {name} 选用。")


def _new(name: str, base: Profile, folder: Path) -> Path:
    try:
        return new_profile(name, base, folder)
    except ValueError as exc:
        _refuse(str(exc))
        raise  # pragma: no cover - _refuse exits
