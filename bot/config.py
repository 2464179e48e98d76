"""Settings: defaults, then a TOML file, then RELAIS_* environment variables.

`SCHEMA` describes every section and key the loader accepts; the loader, the error messages
and the tests that keep config.example.toml complete all read it, so they cannot drift apart.
Secrets (bot token, webhook secret) are read from the environment only.
"""

from __future__ import annotations

import difflib
import ipaddress
import json
import os
import re
import tomllib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import time, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

import bot
from bot.core.domain import Centre
from bot.schedule.quiet_hours import WEEKDAYS, QuietHours, parse_clock

PROJECT_DIR = Path(bot.__file__).resolve().parent.parent
CONFIG_ENV = "RELAIS_CONFIG"
REFERENCE_LANGUAGE = "fr"
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")


class ConfigError(Exception):
    """A setting is missing or wrong; the message is one line naming the key."""


# -- the settings objects ----------------------------------------------------------------
# Their field defaults are the defaults of the loader: there is no second list to update.


@dataclass(frozen=True)
class TelegramSettings:
    """How to reach the Telegram Bot API and receive updates."""

    token: str | None = field(default=None, repr=False)
    api_url: str = "https://api.telegram.org/bot"
    mode: str = "polling"
    poll_timeout: int = 30
    webhook_url: str | None = None
    webhook_listen: str = "127.0.0.1"
    webhook_port: int = 8443
    webhook_path: str = "/telegram"
    webhook_secret: str | None = field(default=None, repr=False)
    max_retries: int = 5
    # python-telegram-bot's AIORateLimiter keeps Telegram's ~30 messages/s; a self-hosted Bot API
    # server (or the tests' emulator) has no such limit, and the limiter then only slows Relais
    rate_limit: bool = True


@dataclass(frozen=True)
class OutboxSettings:
    """How queued outbound messages are retried."""

    max_attempts: int = 8
    base_backoff_seconds: float = 1.0
    sweep_seconds: float = 1.0


@dataclass(frozen=True)
class FairnessSettings:
    """How much one person may ask at once, so nobody's flood delays everyone else."""

    burst: int = 8  # events a person may send at once
    per_second: float = 1.0  # events a second after the burst
    repeat_document_seconds: float = 60.0  # the same document asked again within: made once


@dataclass(frozen=True)
class AppointmentSettings:
    """When appointments are recalled to people and to volunteers."""

    # how long before an appointment each reminder goes (never inside quiet hours)
    reminders: tuple[timedelta, ...] = (timedelta(days=1), timedelta(hours=2))
    agenda_at: time = time(8, 30)  # the volunteers' agenda of the day, local time
    minutes: int = 60  # how long an appointment lasts (the calendar file's end)


@dataclass(frozen=True)
class OfferSettings:
    """Who vets job offers, and how often offers reach a person (the digest, the follow-up,
    the weekly cap)."""

    # centres whose volunteers may vet offers themselves (elsewhere only coordinators)
    volunteers_vet: tuple[str, ...] = ()
    digest_day: int = 0  # the weekly digest's day, as date.weekday(): 0 Monday … 6 Sunday
    digest_at: time = time(10, 0)  # the digest's time of day, local time
    followup_days: int = 7  # "any news?" this many days after "interested"
    weekly_cap: int = 3  # offer messages (offers, digests, follow-ups) a person gets a week


@dataclass(frozen=True)
class Settings:
    """Everything Relais reads from its configuration."""

    database: Path = Path("relais.sqlite3")
    timezone: str = "Europe/Paris"
    languages: tuple[str, ...] = ("fr", "en")
    flows_dir: Path = PROJECT_DIR / "flows"
    locales_dir: Path = PROJECT_DIR / "locales"
    log_level: str = "INFO"
    centres: tuple[Centre, ...] = (Centre("default", "Centre Relais"),)
    admins: tuple[str, ...] = ()
    retention_days: int = 730
    invite_days: int = 7
    documents_dir: Path = Path("relais-documents")
    font_cache: Path | None = None  # None: the user's cache folder (see bot/documents/fonts.py)
    telegram: TelegramSettings = field(default_factory=TelegramSettings)
    outbox: OutboxSettings = field(default_factory=OutboxSettings)
    fairness: FairnessSettings = field(default_factory=FairnessSettings)
    # when messages Relais starts (not replies) wait, in `timezone`
    quiet_hours: QuietHours = field(default_factory=QuietHours)
    appointments: AppointmentSettings = field(default_factory=AppointmentSettings)
    offers: OfferSettings = field(default_factory=OfferSettings)
    config_file: Path | None = None  # the file these settings came from, if any


# -- value parsers ------------------------------------------------------------------------


class _Bad(ValueError):
    """A value does not fit; the optional text says why, beyond what was expected."""


@dataclass(frozen=True)
class _Origin:
    """Where a raw value comes from: env values are text; file paths are relative to the file."""

    from_env: bool
    base_dir: Path | None = None


Parser = Callable[[Any, _Origin], Any]


def _text(pattern: str | None = None) -> Parser:
    regex = re.compile(pattern) if pattern else None

    def parse(raw: Any, origin: _Origin) -> str:
        if not isinstance(raw, str) or not raw.strip():
            raise _Bad()
        if regex is not None and not regex.fullmatch(raw):
            raise _Bad()
        return raw

    return parse


def _choice(*choices: str, upper: bool = False) -> Parser:
    def parse(raw: Any, origin: _Origin) -> str:
        if not isinstance(raw, str):
            raise _Bad()
        value = raw.strip().upper() if upper else raw.strip()
        if value not in choices:
            raise _Bad()
        return value

    return parse


def _integer(low: int, high: int) -> Parser:
    def parse(raw: Any, origin: _Origin) -> int:
        if origin.from_env and isinstance(raw, str) and re.fullmatch(r"\s*-?\d+\s*", raw):
            raw = int(raw)
        # bool is an int in Python, but `true` is not a number of anything
        if not isinstance(raw, int) or isinstance(raw, bool) or not low <= raw <= high:
            raise _Bad()
        return raw

    return parse


_TRUE = ("true", "yes", "on", "1")
_FALSE = ("false", "no", "off", "0")


def _boolean(raw: Any, origin: _Origin) -> bool:
    """true or false; in the environment also yes/no, on/off, 1/0 (any case)."""
    if origin.from_env and isinstance(raw, str):
        word = raw.strip().lower()
        if word in _TRUE:
            return True
        if word in _FALSE:
            return False
        raise _Bad()
    if not isinstance(raw, bool):
        raise _Bad()
    return raw


def _number(low: float, high: float) -> Parser:
    """A float in (low, high]: the low bound is excluded so that zero can be refused."""

    def parse(raw: Any, origin: _Origin) -> float:
        if origin.from_env and isinstance(raw, str):
            try:
                raw = float(raw)
            except ValueError:
                raise _Bad() from None
        if not isinstance(raw, int | float) or isinstance(raw, bool):
            raise _Bad()
        if not low < raw <= high:  # also refuses nan
            raise _Bad()
        return float(raw)

    return parse


def _path(must_be_dir: bool = False) -> Parser:
    def parse(raw: Any, origin: _Origin) -> Path:
        if not isinstance(raw, str) or not raw.strip():
            raise _Bad()
        path = Path(raw).expanduser()
        if not path.is_absolute() and origin.base_dir is not None:
            # a file's relative paths must not depend on the directory the bot starts from
            path = origin.base_dir / path
        if must_be_dir:
            path = path.resolve()
            if not path.is_dir():
                raise _Bad("no such folder")
        return path

    return parse


def _timezone(raw: Any, origin: _Origin) -> str:
    if not isinstance(raw, str) or not raw.strip():
        raise _Bad()
    try:
        ZoneInfo(raw)
    except (ZoneInfoNotFoundError, ValueError):
        raise _Bad() from None
    return raw


def _languages(raw: Any, origin: _Origin) -> tuple[str, ...]:
    if not isinstance(raw, list) or not all(isinstance(code, str) for code in raw):
        raise _Bad()
    for code in raw:
        try:
            Locale.parse(code)
        except (UnknownLocaleError, ValueError, TypeError):
            raise _Bad(f"Babel does not know {_show(code)}") from None
    if len(set(raw)) != len(raw):
        raise _Bad("a language is listed twice")
    if REFERENCE_LANGUAGE not in raw:
        raise _Bad(f'"{REFERENCE_LANGUAGE}" is the reference language and must be listed')
    return tuple(raw)


def _admins(raw: Any, origin: _Origin) -> tuple[str, ...]:
    if not isinstance(raw, list):
        raise _Bad()
    ids = []
    for item in raw:
        # TOML users naturally write ids as numbers; they are kept as text, like external ids
        if isinstance(item, int) and not isinstance(item, bool) and item > 0:
            ids.append(str(item))
        elif isinstance(item, str) and re.fullmatch(r"[0-9]+", item):
            ids.append(item)
        else:
            raise _Bad()
    return tuple(ids)


def _url(https_only: bool) -> Parser:
    def parse(raw: Any, origin: _Origin) -> str:
        if not isinstance(raw, str) or re.search(r"\s", raw):
            raise _Bad()
        try:
            parts = urlsplit(raw)
            host = parts.hostname
        except ValueError:
            raise _Bad() from None
        if not parts.netloc or parts.scheme not in ("http", "https"):
            raise _Bad()
        # Telegram only calls https webhooks, and the Bot API URL carries the token: plain
        # http is for a server on this machine
        if https_only and parts.scheme == "http" and not _loopback(host):
            raise _Bad()
        return raw

    return parse


def _loopback(host: str | None) -> bool:
    """Whether a URL's host is this machine: localhost, 127.0.0.0/8 or ::1."""
    if host is None:
        return False
    if host.lower() in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _address(raw: Any, origin: _Origin) -> str:
    if not isinstance(raw, str):
        raise _Bad()
    return raw.strip()


def _clock(raw: Any, origin: _Origin) -> Any:
    if not isinstance(raw, str):
        raise _Bad()
    try:
        return parse_clock(raw)
    except ValueError:
        raise _Bad() from None


def _days_off(raw: Any, origin: _Origin) -> frozenset[int]:
    if origin.from_env and isinstance(raw, str):
        raw = [day for day in re.split(r"[\s,]+", raw) if day]
    if not isinstance(raw, list) or not all(isinstance(day, str) for day in raw):
        raise _Bad()
    days = [day.strip().lower() for day in raw]
    if any(day not in WEEKDAYS for day in days):
        raise _Bad()
    if len(set(days)) == len(WEEKDAYS):
        raise _Bad("Relais must be allowed to write on some day")
    return frozenset(WEEKDAYS.index(day) for day in days)


def _weekday(raw: Any, origin: _Origin) -> int:
    if not isinstance(raw, str) or raw.strip().lower() not in WEEKDAYS:
        raise _Bad()
    return WEEKDAYS.index(raw.strip().lower())


_CENTRE_ID = r"[a-z0-9_-]{1,32}"


def _centre_ids(raw: Any, origin: _Origin) -> tuple[str, ...]:
    if origin.from_env and isinstance(raw, str):
        raw = [part for part in re.split(r"[\s,]+", raw) if part]
    if not isinstance(raw, list) or not all(isinstance(part, str) for part in raw):
        raise _Bad()
    ids = [part.strip() for part in raw]
    if not all(re.fullmatch(_CENTRE_ID, part) for part in ids):
        raise _Bad()
    return tuple(dict.fromkeys(ids))


_OFFSET = re.compile(r"([0-9]{1,3})\s*([dhm])")
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def _offsets(raw: Any, origin: _Origin) -> tuple[timedelta, ...]:
    if origin.from_env and isinstance(raw, str):
        raw = [part for part in re.split(r"[\s,]+", raw) if part]
    if not isinstance(raw, list) or not all(isinstance(part, str) for part in raw):
        raise _Bad()
    offsets = set()
    for part in raw:
        found = _OFFSET.fullmatch(part.strip().lower())
        if found is None:
            raise _Bad()
        offset = timedelta(**{_UNITS[found.group(2)]: int(found.group(1))})
        if not timedelta(minutes=10) <= offset <= timedelta(days=14):
            raise _Bad("each between 10 minutes and 14 days")
        offsets.add(offset)
    # the earliest reminder first
    return tuple(sorted(offsets, reverse=True))


def _token(raw: Any, origin: _Origin) -> str:
    # spaces or line breaks (a bad copy-paste) would end up inside every request URL
    if not isinstance(raw, str) or not re.fullmatch(r"\S+", raw):
        raise _Bad()
    return raw


# -- the schema ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Setting:
    """One accepted key: where it goes, how it is parsed and explained, its env variable."""

    target: str  # attribute of Settings, or of the section's settings object
    parse: Parser
    expected: str
    env: str | None = None
    in_file: bool = True  # False: a secret, read from the environment only
    secret: bool = False  # never repeat the value in an error


SCHEMA: dict[str, dict[str, Setting]] = {
    "general": {
        "timezone": Setting(
            "timezone", _timezone, 'an IANA time zone such as "Europe/Paris"', "RELAIS_TIMEZONE"
        ),
        "languages": Setting(
            "languages", _languages, 'a list of language codes including "fr", such as ["fr", "en"]'
        ),
        "flows_dir": Setting(
            "flows_dir", _path(must_be_dir=True), "the folder of the flow files", "RELAIS_FLOWS_DIR"
        ),
        "locales_dir": Setting(
            "locales_dir",
            _path(must_be_dir=True),
            "the folder of the translation catalogs",
            "RELAIS_LOCALES_DIR",
        ),
        "log_level": Setting(
            "log_level",
            _choice(*LOG_LEVELS, upper=True),
            "one of " + ", ".join(LOG_LEVELS),
            "RELAIS_LOG_LEVEL",
        ),
        "admins": Setting("admins", _admins, 'a list of Telegram user ids such as ["123456789"]'),
    },
    "database": {
        "path": Setting("database", _path(), "the path of the SQLite file", "RELAIS_DATABASE"),
    },
    "privacy": {
        "retention_days": Setting(
            "retention_days",
            _integer(1, 3650),
            "a whole number of days between 1 and 3650",
            "RELAIS_RETENTION_DAYS",
        ),
    },
    "team": {
        "invite_days": Setting(
            "invite_days",
            _integer(1, 90),
            "a whole number of days between 1 and 90",
            "RELAIS_INVITE_DAYS",
        ),
    },
    "documents": {
        "folder": Setting(
            "documents_dir",
            _path(),
            "the folder where `relais chat` writes the CVs it makes",
            "RELAIS_DOCUMENTS_DIR",
        ),
        "font_cache": Setting(
            "font_cache",
            _path(),
            "a folder for the fonts prepared for PDF documents",
            "RELAIS_FONT_CACHE",
        ),
    },
    "telegram": {
        "token": Setting(
            "token",
            _token,
            "the bot token from BotFather, without spaces",
            "RELAIS_TELEGRAM_TOKEN",
            in_file=False,
            secret=True,
        ),
        "api_url": Setting(
            "api_url",
            _url(https_only=True),
            'an https URL such as "https://api.telegram.org/bot" (http only on this machine:'
            " the token travels in it)",
            "RELAIS_TELEGRAM_API_URL",
        ),
        "mode": Setting(
            "mode", _choice("polling", "webhook"), '"polling" or "webhook"', "RELAIS_TELEGRAM_MODE"
        ),
        "poll_timeout": Setting(
            "poll_timeout",
            _integer(0, 600),
            "a whole number of seconds between 0 and 600",
            "RELAIS_TELEGRAM_POLL_TIMEOUT",
        ),
        "webhook_url": Setting(
            "webhook_url",
            _url(https_only=True),
            "the public https URL Telegram calls (http only on localhost)",
            "RELAIS_WEBHOOK_URL",
        ),
        "webhook_listen": Setting(
            "webhook_listen",
            _text(r"[A-Za-z0-9.:_\[\]-]+"),
            'the address to listen on, such as "127.0.0.1" or "0.0.0.0"',
            "RELAIS_WEBHOOK_LISTEN",
        ),
        "webhook_port": Setting(
            "webhook_port",
            _integer(1, 65535),
            "a port number between 1 and 65535",
            "RELAIS_WEBHOOK_PORT",
        ),
        "webhook_path": Setting(
            "webhook_path",
            _text(r"/[A-Za-z0-9._~/-]*"),
            'a URL path starting with "/", such as "/telegram"',
        ),
        "webhook_secret": Setting(
            "webhook_secret",
            # short secrets can be guessed by trying: anyone could then post forged updates
            _text(r"[A-Za-z0-9_-]{32,256}"),
            "32 to 256 characters among A-Z a-z 0-9 _ -",
            "RELAIS_WEBHOOK_SECRET",
            in_file=False,
            secret=True,
        ),
        "max_retries": Setting(
            "max_retries", _integer(0, 20), "a whole number of retries between 0 and 20"
        ),
        "rate_limit": Setting(
            "rate_limit",
            _boolean,
            "true or false (in the environment also 1 or 0)",
            "RELAIS_TELEGRAM_RATE_LIMIT",
        ),
    },
    "outbox": {
        "max_attempts": Setting(
            "max_attempts", _integer(1, 1000), "a whole number of attempts between 1 and 1000"
        ),
        "base_backoff_seconds": Setting(
            "base_backoff_seconds", _number(0, 3600), "a number of seconds above 0, at most 3600"
        ),
        "sweep_seconds": Setting(
            "sweep_seconds", _number(0, 3600), "a number of seconds above 0, at most 3600"
        ),
    },
    "fairness": {
        "burst": Setting(
            "burst",
            _integer(1, 1000),
            "a whole number of messages between 1 and 1000",
            "RELAIS_FAIRNESS_BURST",
        ),
        "per_second": Setting(
            "per_second",
            _number(0, 1000),
            "a number of messages a second above 0, at most 1000",
            "RELAIS_FAIRNESS_PER_SECOND",
        ),
        "repeat_document_seconds": Setting(
            "repeat_document_seconds",
            _number(0, 3600),
            "a number of seconds above 0, at most 3600",
            "RELAIS_REPEAT_DOCUMENT_SECONDS",
        ),
    },
    "quiet_hours": {
        "start": Setting(
            "start", _clock, 'a time of day as HH:MM, such as "20:00"', "RELAIS_QUIET_START"
        ),
        "end": Setting(
            "end", _clock, 'a time of day as HH:MM, such as "08:30"', "RELAIS_QUIET_END"
        ),
        "days_off": Setting(
            "days_off",
            _days_off,
            'a list of English day names such as ["sunday"] (not all seven)',
            "RELAIS_QUIET_DAYS_OFF",
        ),
    },
    "appointments": {
        "reminders": Setting(
            "reminders",
            _offsets,
            'a list of delays before the appointment such as ["1d", "2h"] (d days, h hours,'
            " m minutes; each between 10m and 14d; [] for none)",
            "RELAIS_APPOINTMENT_REMINDERS",
        ),
        "agenda_at": Setting(
            "agenda_at",
            _clock,
            'a time of day as HH:MM, such as "08:30"',
            "RELAIS_AGENDA_AT",
        ),
        "minutes": Setting(
            "minutes", _integer(5, 1440), "a whole number of minutes between 5 and 1440"
        ),
    },
    "offers": {
        "volunteers_vet": Setting(
            "volunteers_vet",
            _centre_ids,
            'a list of centre ids such as ["paris11"] (their volunteers vet offers themselves)',
            "RELAIS_OFFERS_VOLUNTEERS_VET",
        ),
        "digest_day": Setting(
            "digest_day",
            _weekday,
            'an English day name such as "monday"',
            "RELAIS_OFFERS_DIGEST_DAY",
        ),
        "digest_at": Setting(
            "digest_at",
            _clock,
            'a time of day as HH:MM, such as "10:00"',
            "RELAIS_OFFERS_DIGEST_AT",
        ),
        "followup_days": Setting(
            "followup_days", _integer(1, 60), "a whole number of days between 1 and 60"
        ),
        "weekly_cap": Setting(
            "weekly_cap", _integer(1, 50), "a whole number of messages between 1 and 50"
        ),
    },
}

# [[centres]]: an array of tables, each one Centre
CENTRES_SECTION = "centres"
CENTRE_KEYS: dict[str, Setting] = {
    "id": Setting(
        "id",
        # the id travels in button data, which Telegram limits to 64 bytes
        _text(_CENTRE_ID),
        'an identifier of at most 32 a-z, 0-9, _ and - such as "paris11"',
    ),
    "name": Setting("name", _text(), "the centre's name as people should read it"),
    "address": Setting("address", _address, "the postal address as text"),
    "hours": Setting("hours", _address, 'the contact hours as text, such as "mardi 9 h – 12 h"'),
}
CENTRE_REQUIRED = ("id", "name")

# the objects each section's values go into (None: the top-level Settings)
_SECTION_TARGET = {
    "general": None,
    "database": None,
    "privacy": None,
    "documents": None,
    "team": None,
    "telegram": "telegram",
    "outbox": "outbox",
    "fairness": "fairness",
    "quiet_hours": "quiet_hours",
    "appointments": "appointments",
    "offers": "offers",
}


def file_keys() -> list[tuple[str, str]]:
    """(section, key) of every key a settings file may hold, centres included."""
    keys = [(s, k) for s, table in SCHEMA.items() for k, v in table.items() if v.in_file]
    return keys + [(CENTRES_SECTION, k) for k in CENTRE_KEYS]


def env_names() -> list[str]:
    """Every environment variable the loader reads."""
    names = [s.env for table in SCHEMA.values() for s in table.values() if s.env]
    return [CONFIG_ENV, *names]


# -- loading ------------------------------------------------------------------------------


def load_settings(path: Path | None = None, env: Mapping[str, str] | None = None) -> Settings:
    """Settings from defaults, then the TOML file (`path` or $RELAIS_CONFIG), then RELAIS_* vars."""
    env = os.environ if env is None else env
    if path is not None:
        path = Path(path)
    elif env.get(CONFIG_ENV, "").strip():
        path = Path(env[CONFIG_ENV].strip())
    data = _read_toml(path) if path is not None else {}

    values: dict[str, dict[str, Any]] = {section: {} for section in SCHEMA}
    centres: tuple[Centre, ...] | None = None
    if path is not None:
        file_origin = _Origin(from_env=False, base_dir=path.resolve().parent)
        for section, table in data.items():
            if section == CENTRES_SECTION:
                centres = _centres(table, path, file_origin)
                continue
            if section not in SCHEMA:
                raise ConfigError(f"{path}: unknown setting {_hint(section, _sections())}")
            if not isinstance(table, dict):
                raise ConfigError(f"{path}: [{section}]: expected a table of settings")
            for key, raw in table.items():
                setting = SCHEMA[section].get(key)
                if setting is None:
                    known = [k for k, s in SCHEMA[section].items() if s.in_file]
                    raise ConfigError(f"{path}: unknown setting [{section}] {_hint(key, known)}")
                where = f"{path}: [{section}] {key}"
                if not setting.in_file:
                    raise ConfigError(
                        f"{where}: secrets come from the environment: remove it from the file"
                        f" and set {setting.env}"
                    )
                values[section][key] = _convert(setting, raw, where, file_origin)

    env_origin = _Origin(from_env=True)
    for section, table in SCHEMA.items():
        for key, setting in table.items():
            # an empty variable counts as unset, as container tools often leave them
            raw = env.get(setting.env, "") if setting.env else ""
            if raw.strip():
                values[section][key] = _convert(setting, raw.strip(), setting.env or "", env_origin)

    return _build(values, centres, path)


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read the settings file ({exc.strerror})") from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message already says "(at line L, column C)"
        raise ConfigError(f"{path}: invalid TOML: {_one_line(str(exc))}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: invalid TOML: the file is not UTF-8 text") from None


def _convert(setting: Setting, raw: Any, where: str, origin: _Origin) -> Any:
    try:
        return setting.parse(raw, origin)
    except _Bad as bad:
        message = f"{where}: expected {setting.expected}"
        if not setting.secret:
            message += f", got {_show(raw)}"
        if bad.args:
            message += f" ({bad.args[0]})"
        raise ConfigError(message) from None


def _centres(raw: Any, path: Path, origin: _Origin) -> tuple[Centre, ...]:
    where = f"{path}: [[{CENTRES_SECTION}]]"
    if not isinstance(raw, list) or not raw or not all(isinstance(t, dict) for t in raw):
        raise ConfigError(f"{where}: expected one or more [[centres]] tables with id and name")
    centres: list[Centre] = []
    for number, table in enumerate(raw, start=1):
        fields: dict[str, str] = {}
        for key, value in table.items():
            setting = CENTRE_KEYS.get(key)
            if setting is None:
                raise ConfigError(
                    f"{path}: unknown setting [[{CENTRES_SECTION}]] #{number}"
                    f" {_hint(key, list(CENTRE_KEYS))}"
                )
            fields[key] = _convert(setting, value, f"{where} #{number} {key}", origin)
        for key in CENTRE_REQUIRED:
            if key not in fields:
                raise ConfigError(
                    f"{where} #{number} {key}: expected {CENTRE_KEYS[key].expected}, missing"
                )
        if any(c.id == fields["id"] for c in centres):
            raise ConfigError(
                f"{where} #{number} id: expected an id no other centre has,"
                f" got {_show(fields['id'])} twice"
            )
        centres.append(Centre(**fields))
    return tuple(centres)


def _build(
    values: dict[str, dict[str, Any]], centres: tuple[Centre, ...] | None, path: Path | None
) -> Settings:
    top: dict[str, Any] = {}
    nested: dict[str, dict[str, Any]] = {
        "telegram": {},
        "outbox": {},
        "fairness": {},
        "quiet_hours": {},
        "appointments": {},
        "offers": {},
    }
    for section, given in values.items():
        target = _SECTION_TARGET[section]
        for key, value in given.items():
            name = SCHEMA[section][key].target
            if target is None:
                top[name] = value
            else:
                nested[target][name] = value
    telegram = TelegramSettings(**nested["telegram"])
    if telegram.mode == "webhook":
        missing = []
        if not telegram.webhook_url:
            missing.append("[telegram] webhook_url (or RELAIS_WEBHOOK_URL)")
        if not telegram.webhook_secret:
            missing.append("RELAIS_WEBHOOK_SECRET in the environment")
        if missing:
            raise ConfigError(f"webhook mode needs {' and '.join(missing)}")
    if centres is not None:
        top["centres"] = centres
    return Settings(
        **top,
        telegram=telegram,
        outbox=OutboxSettings(**nested["outbox"]),
        fairness=FairnessSettings(**nested["fairness"]),
        quiet_hours=QuietHours(**nested["quiet_hours"]),
        appointments=AppointmentSettings(**nested["appointments"]),
        offers=OfferSettings(**nested["offers"]),
        config_file=path,
    )


# -- message helpers ----------------------------------------------------------------------


def _sections() -> list[str]:
    return [*SCHEMA, CENTRES_SECTION]


def _hint(name: str, known: list[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f"{name} (did you mean {close[0]}?)" if close else name


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _show(raw: Any) -> str:
    """A raw value as the person wrote it, on one short line."""
    if isinstance(raw, bool):
        shown = "true" if raw else "false"
    elif isinstance(raw, dict):
        shown = "a table"
    else:
        try:
            shown = json.dumps(raw, ensure_ascii=False, default=str)
        except (TypeError, ValueError):
            shown = str(raw)
    shown = _one_line(shown)
    return shown if len(shown) <= 60 else shown[:57] + "..."


__all__ = [
    "CENTRE_KEYS",
    "SCHEMA",
    "ConfigError",
    "FairnessSettings",
    "OfferSettings",
    "OutboxSettings",
    "Settings",
    "TelegramSettings",
    "env_names",
    "file_keys",
    "load_settings",
]
