"""Settings: defaults, file, environment, one-line errors, and a complete example file."""

from __future__ import annotations

import re
from datetime import time
from pathlib import Path

import pytest

from bot.config import (
    CENTRE_KEYS,
    SCHEMA,
    ConfigError,
    OfferSettings,
    OutboxSettings,
    Settings,
    TelegramSettings,
    env_names,
    file_keys,
    load_settings,
)
from bot.core.domain import Centre

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "config.example.toml"
SECRET = "s3cr3t_Secret-value-of-32-characters-at-least"
TOKEN = "123456:ABC-def_ghi"


def write(tmp_path: Path, text: str, name: str = "relais.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str | None = None, env: dict[str, str] | None = None) -> str:
    """The message of the ConfigError raised for this file and environment; one line."""
    path = write(tmp_path, text) if text is not None else None
    with pytest.raises(ConfigError) as caught:
        load_settings(path, env or {})
    message = str(caught.value)
    assert "\n" not in message
    return message


# -- defaults, file, environment -------------------------------------------------------


def test_defaults_with_no_file_and_empty_env():
    settings = load_settings(None, {})
    assert settings == Settings()
    assert settings.database == Path("relais.sqlite3")
    assert settings.timezone == "Europe/Paris"
    assert settings.languages == ("fr", "en")
    assert settings.flows_dir == ROOT / "flows"
    assert settings.locales_dir == ROOT / "locales"
    assert settings.log_level == "INFO"
    assert settings.centres == (Centre("default", "Centre Relais"),)
    assert settings.admins == ()
    assert settings.config_file is None
    assert settings.telegram == TelegramSettings(
        token=None,
        api_url="https://api.telegram.org/bot",
        mode="polling",
        poll_timeout=30,
        webhook_url=None,
        webhook_listen="127.0.0.1",
        webhook_port=8443,
        webhook_path="/telegram",
        webhook_secret=None,
        max_retries=5,
    )
    assert settings.outbox == OutboxSettings(
        max_attempts=8, base_backoff_seconds=1.0, sweep_seconds=1.0
    )


def test_settings_are_frozen():
    settings = load_settings(None, {})
    with pytest.raises(AttributeError):
        settings.timezone = "UTC"  # type: ignore[misc]


FULL = """
[general]
timezone = "America/Cayenne"
languages = ["fr", "ar", "uk"]
log_level = "debug"
admins = ["111", 222]
flows_dir = "myflows"

[database]
path = "data/bot.sqlite3"

[telegram]
api_url = "http://127.0.0.1:8081/bot"
mode = "webhook"
poll_timeout = 50
webhook_url = "https://relais.example.org/tg"
webhook_listen = "0.0.0.0"
webhook_port = 9000
webhook_path = "/tg/hook"
max_retries = 0

[outbox]
max_attempts = 3
base_backoff_seconds = 0.25
sweep_seconds = 2

[[centres]]
id = "paris11"
name = "Paris 11e"
address = "1 rue X, 75011 Paris"

[[centres]]
id = "lyon"
name = "Lyon"
"""


def test_file_values(tmp_path: Path):
    (tmp_path / "myflows").mkdir()
    path = write(tmp_path, FULL)
    settings = load_settings(path, {"RELAIS_WEBHOOK_SECRET": SECRET})
    assert settings.config_file == path
    assert settings.timezone == "America/Cayenne"
    assert settings.languages == ("fr", "ar", "uk")
    assert settings.log_level == "DEBUG"
    assert settings.admins == ("111", "222")
    # relative paths in a file are relative to that file, not to where the bot starts
    assert settings.flows_dir == (tmp_path / "myflows").resolve()
    assert settings.database == tmp_path.resolve() / "data" / "bot.sqlite3"
    assert settings.locales_dir == ROOT / "locales"
    t = settings.telegram
    assert t.api_url == "http://127.0.0.1:8081/bot"
    assert (t.mode, t.poll_timeout, t.max_retries) == ("webhook", 50, 0)
    assert t.webhook_url == "https://relais.example.org/tg"
    assert (t.webhook_listen, t.webhook_port, t.webhook_path) == ("0.0.0.0", 9000, "/tg/hook")
    assert t.webhook_secret == SECRET
    assert settings.outbox == OutboxSettings(3, 0.25, 2.0)
    assert settings.centres == (
        Centre("paris11", "Paris 11e", "1 rue X, 75011 Paris"),
        Centre("lyon", "Lyon"),
    )


def test_env_overrides_file(tmp_path: Path):
    (tmp_path / "myflows").mkdir()
    other_flows = tmp_path / "other"
    other_flows.mkdir()
    path = write(tmp_path, FULL)
    env = {
        "RELAIS_DATABASE": str(tmp_path / "env.sqlite3"),
        "RELAIS_TIMEZONE": "UTC",
        "RELAIS_FLOWS_DIR": str(other_flows),
        "RELAIS_LOCALES_DIR": str(ROOT / "locales"),
        "RELAIS_LOG_LEVEL": "warning",
        "RELAIS_TELEGRAM_TOKEN": TOKEN,
        "RELAIS_TELEGRAM_API_URL": "http://127.0.0.1:9999/bot",
        "RELAIS_TELEGRAM_MODE": "polling",
        "RELAIS_TELEGRAM_POLL_TIMEOUT": "5",
        "RELAIS_WEBHOOK_URL": "https://other.example.org/x",
        "RELAIS_WEBHOOK_LISTEN": "::1",
        "RELAIS_WEBHOOK_PORT": "8444",
        "RELAIS_WEBHOOK_SECRET": SECRET,
    }
    settings = load_settings(path, env)
    assert settings.database == tmp_path / "env.sqlite3"
    assert settings.timezone == "UTC"
    assert settings.flows_dir == other_flows.resolve()
    assert settings.log_level == "WARNING"
    t = settings.telegram
    assert t.token == TOKEN
    assert t.api_url == "http://127.0.0.1:9999/bot"
    assert (t.mode, t.poll_timeout) == ("polling", 5)
    assert (t.webhook_url, t.webhook_listen, t.webhook_port) == (
        "https://other.example.org/x",
        "::1",
        8444,
    )
    assert settings.languages == ("fr", "ar", "uk")  # from the file: no variable for it


def test_config_path_from_env_and_empty_variables_are_unset(tmp_path: Path):
    path = write(tmp_path, '[general]\ntimezone = "Asia/Beirut"\n')
    settings = load_settings(None, {"RELAIS_CONFIG": str(path), "RELAIS_TIMEZONE": ""})
    assert settings.timezone == "Asia/Beirut"
    assert settings.config_file == path
    # an explicit path wins over RELAIS_CONFIG
    other = write(tmp_path, '[general]\ntimezone = "UTC"\n', "other.toml")
    assert load_settings(other, {"RELAIS_CONFIG": str(path)}).timezone == "UTC"


def test_secrets_are_not_in_repr():
    settings = load_settings(
        None,
        {
            "RELAIS_TELEGRAM_TOKEN": TOKEN,
            "RELAIS_TELEGRAM_MODE": "webhook",
            "RELAIS_WEBHOOK_URL": "https://relais.example.org/tg",
            "RELAIS_WEBHOOK_SECRET": SECRET,
        },
    )
    assert settings.telegram.token == TOKEN
    assert TOKEN not in repr(settings)
    assert SECRET not in repr(settings)


def test_example_file_loads_and_states_the_true_defaults():
    example = load_settings(EXAMPLE, {})
    defaults = load_settings(None, {})
    assert example.database == ROOT / "relais.sqlite3"
    assert example.documents_dir == ROOT / "relais-documents"  # relative to the file
    for name in Settings.__dataclass_fields__:
        if name not in ("database", "documents_dir", "config_file"):
            assert getattr(example, name) == getattr(defaults, name), name


# -- the example file is complete ------------------------------------------------------


def example_keys() -> set[tuple[str, str]]:
    """(section, key) of every `key =` line of the example, commented out or not."""
    found = set()
    section = ""
    for line in EXAMPLE.read_text(encoding="utf-8").splitlines():
        text = line.strip()
        header = re.fullmatch(r"\[\[?([a-z_]+)\]\]?", text)
        if header:
            section = header.group(1)
            continue
        key = re.match(r"#?\s*([a-z_]+)\s*=", text)
        if key:
            found.add((section, key.group(1)))
    return found


def test_every_accepted_key_is_in_the_example():
    missing = set(file_keys()) - example_keys()
    assert not missing, f"config.example.toml lacks {sorted(missing)}"
    assert ("centres", "address") in file_keys()


def test_the_example_holds_no_key_the_loader_refuses():
    assert example_keys() <= set(file_keys())


def test_every_environment_variable_is_in_the_example():
    text = EXAMPLE.read_text(encoding="utf-8")
    names = env_names()
    assert "RELAIS_CONFIG" in names
    assert "RELAIS_TELEGRAM_TOKEN" in names
    assert "RELAIS_WEBHOOK_SECRET" in names
    missing = [name for name in names if not re.search(rf"\b{name}\b", text)]
    assert not missing, f"config.example.toml does not mention {missing}"


def test_the_loader_reads_no_other_relais_variable(monkeypatch: pytest.MonkeyPatch):
    # os.environ is the default source: every RELAIS_* name read must be in env_names()
    seen: set[str] = set()

    class Spy(dict):
        def get(self, key, default=None):
            seen.add(key)
            return super().get(key, default)

        def __getitem__(self, key):
            seen.add(key)
            return super().__getitem__(key)

    load_settings(None, Spy())
    assert {name for name in seen if name.startswith("RELAIS_")} <= set(env_names())


# -- errors: one line naming the key ---------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            '[telegram]\npoll_timeout = "abc"\n',
            "[telegram] poll_timeout: expected a whole number of seconds between 0 and 600,"
            ' got "abc"',
        ),
        ("[telegram]\npoll_timeout = 601\n", "[telegram] poll_timeout: expected"),
        ("[telegram]\nwebhook_port = true\n", "[telegram] webhook_port: expected a port"),
        ('[telegram]\nmode = "push"\n', '[telegram] mode: expected "polling" or "webhook"'),
        ('[telegram]\napi_url = "ftp://x"\n', "[telegram] api_url: expected an https URL"),
        (
            '[telegram]\nwebhook_url = "http://relais.example.org/tg"\n',
            "[telegram] webhook_url: expected the public https URL",
        ),
        ('[telegram]\nwebhook_path = "tg"\n', "[telegram] webhook_path: expected a URL path"),
        ("[telegram]\nmax_retries = -1\n", "[telegram] max_retries: expected"),
        ('[general]\ntimezone = "Europe/Pariss"\n', "[general] timezone: expected an IANA"),
        ('[general]\ntimezone = "../etc"\n', "[general] timezone: expected an IANA"),
        ('[general]\nlanguages = ["en"]\n', '"fr" is the reference language'),
        ('[general]\nlanguages = ["fr", "xx"]\n', 'Babel does not know "xx"'),
        ('[general]\nlanguages = ["fr", "fr"]\n', "listed twice"),
        ('[general]\nlanguages = "fr"\n', "[general] languages: expected a list"),
        ('[general]\nlog_level = "LOUD"\n', "[general] log_level: expected one of DEBUG, INFO"),
        ('[general]\nadmins = ["@ana"]\n', "[general] admins: expected a list of Telegram"),
        ('[general]\nflows_dir = "nowhere"\n', "[general] flows_dir: expected the folder"),
        ("[database]\npath = 3\n", "[database] path: expected the path of the SQLite file"),
        ("[outbox]\nsweep_seconds = 0\n", "[outbox] sweep_seconds: expected a number"),
        ("[outbox]\nmax_attempts = 1.5\n", "[outbox] max_attempts: expected a whole number"),
        ('[general]\nlangauges = ["fr"]\n', "unknown setting [general] langauges"),
        ('[telegrm]\nmode = "polling"\n', "unknown setting telegrm (did you mean telegram?)"),
        ("debug = true\n", "unknown setting debug"),
        ("general = 3\n", "[general]: expected a table"),
        ('[[centres]]\nid = "Paris 11"\nname = "x"\n', "[[centres]] #1 id: expected an id"),
        ('[[centres]]\nid = "a"\n', "[[centres]] #1 name: expected"),
        (
            '[[centres]]\nid = "a"\nname = "A"\n[[centres]]\nid = "a"\nname = "B"\n',
            '[[centres]] #2 id: expected an id no other centre has, got "a" twice',
        ),
        ('[[centres]]\nid = "a"\nname = "A"\nphone = "1"\n', "unknown setting [[centres]] #1"),
        ("centres = []\n", "[[centres]]: expected one or more"),
    ],
)
def test_file_errors_name_the_key(tmp_path: Path, text: str, expected: str):
    message = error_of(tmp_path, text)
    assert message.startswith(str(tmp_path / "relais.toml") + ": ")
    assert expected in message


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        (
            {"RELAIS_TELEGRAM_POLL_TIMEOUT": "abc"},
            "RELAIS_TELEGRAM_POLL_TIMEOUT: expected a whole number of seconds between 0 and 600,"
            ' got "abc"',
        ),
        ({"RELAIS_WEBHOOK_PORT": "0"}, "RELAIS_WEBHOOK_PORT: expected a port number"),
        ({"RELAIS_TELEGRAM_MODE": "hook"}, 'RELAIS_TELEGRAM_MODE: expected "polling"'),
        ({"RELAIS_TIMEZONE": "Mars/Olympus"}, "RELAIS_TIMEZONE: expected an IANA time zone"),
        ({"RELAIS_LOG_LEVEL": "TRACE"}, "RELAIS_LOG_LEVEL: expected one of"),
        ({"RELAIS_FLOWS_DIR": "/nonexistent/flows"}, "RELAIS_FLOWS_DIR: expected the folder"),
        ({"RELAIS_TELEGRAM_API_URL": "localhost"}, "RELAIS_TELEGRAM_API_URL: expected"),
    ],
)
def test_env_errors_name_the_variable(tmp_path: Path, env: dict[str, str], expected: str):
    assert error_of(tmp_path, env=env).startswith(expected)


def test_invalid_toml_names_the_file_and_line(tmp_path: Path):
    message = error_of(tmp_path, '[general]\ntimezone = "UTC"\nlanguages = ["fr",\n\n= 3\n')
    assert message.startswith(str(tmp_path / "relais.toml") + ": invalid TOML")
    assert "line 5" in message


def test_missing_file_is_an_error(tmp_path: Path):
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(tmp_path / "absent.toml", {})
    with pytest.raises(ConfigError, match="cannot read"):
        load_settings(None, {"RELAIS_CONFIG": str(tmp_path / "absent.toml")})


@pytest.mark.parametrize("key", ["token", "webhook_secret"])
def test_secrets_in_the_file_are_refused(tmp_path: Path, key: str):
    message = error_of(tmp_path, f'[telegram]\n{key} = "{SECRET}"\n')
    assert f"[telegram] {key}: secrets come from the environment" in message
    assert SECRET not in message
    assert SCHEMA["telegram"][key].env in message


def test_bad_secrets_from_env_are_not_echoed(tmp_path: Path):
    bad = "not a valid secret!"
    message = error_of(tmp_path, env={"RELAIS_WEBHOOK_SECRET": bad})
    assert message.startswith("RELAIS_WEBHOOK_SECRET: expected 32 to 256 characters")
    assert bad not in message
    message = error_of(tmp_path, env={"RELAIS_WEBHOOK_SECRET": "x" * 257})
    assert "x" * 257 not in message
    message = error_of(tmp_path, env={"RELAIS_TELEGRAM_TOKEN": "123:abc def"})
    assert message.startswith("RELAIS_TELEGRAM_TOKEN: expected")
    assert "abc def" not in message


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({}, ["webhook_url", "RELAIS_WEBHOOK_SECRET"]),
        ({"RELAIS_WEBHOOK_SECRET": SECRET}, ["webhook_url"]),
        ({"RELAIS_WEBHOOK_URL": "https://relais.example.org/tg"}, ["RELAIS_WEBHOOK_SECRET"]),
    ],
)
def test_webhook_mode_needs_url_and_secret(tmp_path: Path, env: dict[str, str], missing):
    message = error_of(tmp_path, env={"RELAIS_TELEGRAM_MODE": "webhook", **env})
    assert message.startswith("webhook mode needs")
    for name in missing:
        assert name in message
    if "webhook_url" not in missing:
        assert "webhook_url" not in message


def test_centre_keys_are_described():
    assert set(CENTRE_KEYS) == {"id", "name", "address", "hours"}


# -- secrets that travel: the webhook secret and the Bot API URL -----------------------------


@pytest.mark.parametrize("secret", ["x" * 31, "s3cret-token", "a"])
def test_a_short_webhook_secret_is_refused(tmp_path: Path, secret: str):
    message = error_of(tmp_path, env={"RELAIS_WEBHOOK_SECRET": secret})
    assert message.startswith("RELAIS_WEBHOOK_SECRET: expected 32 to 256 characters")
    assert "got" not in message  # a secret is never repeated
    assert load_settings(None, {"RELAIS_WEBHOOK_SECRET": "x" * 32}).telegram.webhook_secret


@pytest.mark.parametrize(
    "url",
    [
        "http://api.telegram.org/bot",
        "http://192.168.1.10:8081/bot",
        "http://localhost.example.org/bot",
        "http://[::2]:8081/bot",
        "http://128.0.0.1/bot",
    ],
)
def test_a_plain_http_bot_api_elsewhere_than_this_machine_is_refused(tmp_path: Path, url: str):
    message = error_of(tmp_path, env={"RELAIS_TELEGRAM_API_URL": url})
    assert message.startswith("RELAIS_TELEGRAM_API_URL: expected an https URL")
    assert "the token travels in it" in message
    message = error_of(tmp_path, f'[telegram]\napi_url = "{url}"\n')
    assert "[telegram] api_url: expected an https URL" in message


@pytest.mark.parametrize(
    "url",
    [
        "https://api.telegram.org/bot",
        "https://bot-api.example.org:8443/bot",
        "http://127.0.0.1:8081/bot",
        "http://127.1.2.3:8081/bot",
        "http://localhost:8081/bot",
        "http://LOCALHOST/bot",
        "http://[::1]:8081/bot",
    ],
)
def test_https_or_this_machine_is_accepted_for_the_bot_api(url: str):
    assert load_settings(None, {"RELAIS_TELEGRAM_API_URL": url}).telegram.api_url == url


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ("", {}, True),  # on by default: Telegram limits bots to about 30 messages a second
        ("[telegram]\nrate_limit = false\n", {}, False),
        ("[telegram]\nrate_limit = true\n", {}, True),
        ("", {"RELAIS_TELEGRAM_RATE_LIMIT": "0"}, False),
        ("", {"RELAIS_TELEGRAM_RATE_LIMIT": "False"}, False),
        ("", {"RELAIS_TELEGRAM_RATE_LIMIT": "off"}, False),
        ("", {"RELAIS_TELEGRAM_RATE_LIMIT": "1"}, True),
        ("[telegram]\nrate_limit = false\n", {"RELAIS_TELEGRAM_RATE_LIMIT": "true"}, True),
    ],
)
def test_the_rate_limit_setting_is_read(
    tmp_path: Path, text: str, env: dict[str, str], expected: bool
):
    path = write(tmp_path, text) if text else None
    assert load_settings(path, env).telegram.rate_limit is expected


@pytest.mark.parametrize(
    ("text", "env", "expected"),
    [
        ('[telegram]\nrate_limit = "no"\n', {}, "[telegram] rate_limit: expected true or false"),
        ("[telegram]\nrate_limit = 0\n", {}, "[telegram] rate_limit: expected true or false"),
        ("", {"RELAIS_TELEGRAM_RATE_LIMIT": "maybe"}, "RELAIS_TELEGRAM_RATE_LIMIT: expected"),
    ],
)
def test_a_wrong_rate_limit_names_the_key(
    tmp_path: Path, text: str, env: dict[str, str], expected: str
):
    assert expected in error_of(tmp_path, text or None, env=env)


def test_offer_settings_from_the_file_and_the_environment(tmp_path: Path):
    path = write(
        tmp_path,
        '[offers]\nvolunteers_vet = ["paris11", "lyon"]\ndigest_day = "Thursday"\n'
        'digest_at = "09:15"\nfollowup_days = 10\nweekly_cap = 2\n',
    )
    offers = load_settings(path, {}).offers
    assert offers == OfferSettings(("paris11", "lyon"), 3, time(9, 15), 10, 2)
    from_env = load_settings(
        None, {"RELAIS_OFFERS_VOLUNTEERS_VET": "a, b", "RELAIS_OFFERS_DIGEST_DAY": "friday"}
    ).offers
    assert (from_env.volunteers_vet, from_env.digest_day) == (("a", "b"), 4)
    assert load_settings(None, {}).offers == OfferSettings((), 0, time(10, 0), 7, 3)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('[offers]\ndigest_day = "lundi"', "[offers] digest_day: expected an English day name"),
        ('[offers]\nvolunteers_vet = ["Paris 11"]', "[offers] volunteers_vet: expected a list"),
        ("[offers]\nweekly_cap = 0", "[offers] weekly_cap: expected a whole number"),
        ('[offers]\ndigest_at = "25:00"', "[offers] digest_at: expected a time of day"),
    ],
)
def test_wrong_offer_settings_name_the_key(tmp_path: Path, text: str, expected: str):
    assert expected in error_of(tmp_path, text)
