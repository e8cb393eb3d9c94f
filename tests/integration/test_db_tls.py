"""The central database over TLS, on a throwaway PostgreSQL cluster of its own: `ssl = on` with
a server certificate (CN and SAN localhost and 127.0.0.1) signed by a test authority, and a
pg_hba.conf that lets clients in over TLS only (`hostssl`). Packline's `Database.from_url`
with `sslmode=verify-full&sslrootcert=…` connects, migrates and queries over TLS; without TLS
it is refused, and with another authority's root certificate the server is not believed.

The cluster runs as the `postgres` OS user when the tests run as root (PostgreSQL refuses to
run as root); the test is skipped only when no PostgreSQL server binaries are installed."""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import sqlalchemy as sa
from sqlalchemy.exc import OperationalError

from app.store import migrate
from app.store.db import Database

pytestmark = [pytest.mark.pg, pytest.mark.timeout(120)]


def _server_bin() -> Path | None:
    """The newest installed PostgreSQL server's bin folder (Debian's layout), or one on PATH."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                   key=lambda p: int(p.parent.parent.name) if p.parent.parent.name.isdigit()
                   else 0)
    if found:
        return found[-1].parent
    on_path = shutil.which("initdb")
    return Path(on_path).parent if on_path and shutil.which("pg_ctl") else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _authority(name: str) -> tuple[object, bytes]:
    """A self-signed certificate authority: (its key, its certificate as PEM)."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    subject = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, name)])
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder().subject_name(subject).issuer_name(subject)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True,
                                         crl_sign=True, content_commitment=False,
                                         key_encipherment=False, data_encipherment=False,
                                         key_agreement=False, encipher_only=False,
                                         decipher_only=False), critical=True)
            .sign(key, hashes.SHA256()))
    return key, cert.public_bytes(serialization.Encoding.PEM)


def _server_certificate(ca_key: object, ca_pem: bytes) -> tuple[bytes, bytes]:
    """The server's (certificate, key) as PEM, for localhost and 127.0.0.1."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

    ca = x509.load_pem_x509_certificate(ca_pem)
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")]))
            .issuer_name(ca.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False)
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))  # type: ignore[arg-type]
    return (cert.public_bytes(serialization.Encoding.PEM),
            key.private_bytes(serialization.Encoding.PEM,
                              serialization.PrivateFormat.TraditionalOpenSSL,
                              serialization.NoEncryption()))


@dataclass(frozen=True)
class Cluster:
    port: int
    root_cert: Path  # the authority that signed the server's certificate
    other_root: Path  # an authority that did not

    def url(self, query: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres?{query}"


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    bin_dir = _server_bin()
    if bin_dir is None:
        pytest.skip("no PostgreSQL server binaries (initdb, pg_ctl) installed")
    as_root = os.geteuid() == 0
    run_as: list[str] = ["runuser", "-u", "postgres", "--"] if as_root else []
    base = Path(tempfile.mkdtemp(prefix="packline-tls-"))
    data = base / "data"
    started = False
    try:
        ca_key, ca_pem = _authority("Packline test authority")
        _other_key, other_pem = _authority("Some other authority")
        cert_pem, key_pem = _server_certificate(ca_key, ca_pem)
        (base / "root.crt").write_bytes(ca_pem)
        (base / "other-root.crt").write_bytes(other_pem)
        (base / "server.crt").write_bytes(cert_pem)
        (base / "server.key").write_bytes(key_pem)
        os.chmod(base / "server.key", 0o600)  # the server refuses a key others can read
        if as_root:
            import pwd

            pg = pwd.getpwnam("postgres")
            for path in (base, base / "server.crt", base / "server.key"):
                os.chown(path, pg.pw_uid, pg.pw_gid)
        subprocess.run([*run_as, str(bin_dir / "initdb"), "-D", str(data), "-U", "postgres",
                        "-A", "trust", "--no-sync", "--no-instructions", "-E", "UTF8",
                        "--locale", "C"], check=True, capture_output=True, timeout=60)
        # TLS only from the network; the cluster's own socket lives in its folder.
        (data / "pg_hba.conf").write_text(
            "local all all trust\nhostssl all all 127.0.0.1/32 trust\n", encoding="utf-8")
        with (data / "postgresql.conf").open("a", encoding="utf-8") as conf:
            conf.write("\nlisten_addresses = '127.0.0.1'\n"
                       f"unix_socket_directories = '{base}'\nssl = on\n"
                       f"ssl_cert_file = '{base / 'server.crt'}'\n"
                       f"ssl_key_file = '{base / 'server.key'}'\n"
                       "fsync = off\nsynchronous_commit = off\nfull_page_writes = off\n"
                       "shared_buffers = 16MB\nmax_connections = 20\n")
        started = True
        for attempt in range(3):  # a free port may be taken before the server binds it
            port = _free_port()
            start = subprocess.run([*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-l",
                                    str(base / "server.log"), "-o", f"-p {port}", "-w",
                                    "-t", "30", "start"], capture_output=True, timeout=60)
            if start.returncode == 0:
                break
            if attempt == 2:
                raise subprocess.CalledProcessError(start.returncode, start.args,
                                                    start.stdout, start.stderr)
        yield Cluster(port, base / "root.crt", base / "other-root.crt")
    except subprocess.CalledProcessError as exc:
        log = base / "server.log"
        raise AssertionError(f"{exc.cmd[len(run_as)]} failed: {exc.stderr.decode()}"
                             + (log.read_text(errors="replace") if log.exists() else "")
                             ) from None
    finally:
        if started:
            subprocess.run([*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-m",
                            "immediate", "-w", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(base, ignore_errors=True)


def test_packline_connects_over_verified_tls_migrates_and_queries(cluster: Cluster) -> None:
    db = Database.from_url(cluster.url(
        f"sslmode=verify-full&sslrootcert={cluster.root_cert}"), connect_timeout=5)
    try:
        migrate.upgrade(db.bind)
        with db.reader() as s:
            tls, version = s.execute(sa.text(
                "SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).one()
            assert s.execute(sa.text("SELECT count(*) FROM orders")).scalar() == 0
        assert tls is True and version.startswith("TLS")
        with db.bind.connect() as conn:  # type: ignore[union-attr]
            assert migrate.current_revision(conn) == migrate.head_revision()
    finally:
        db.dispose()


def test_require_encrypts_without_asking_who_the_server_is(cluster: Cluster) -> None:
    db = Database.from_url(cluster.url("sslmode=require"), connect_timeout=5)
    try:
        with db.reader() as s:
            assert s.execute(sa.text(
                "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")).scalar() is True
    finally:
        db.dispose()


def _refused(url: str) -> str:
    db = Database.from_url(url, connect_timeout=5)
    try:
        with pytest.raises(OperationalError) as caught, db.reader() as s:
            s.execute(sa.text("SELECT 1"))
        return str(caught.value.orig)
    finally:
        db.dispose()


def test_a_connection_without_tls_is_refused(cluster: Cluster) -> None:
    said = _refused(cluster.url("sslmode=disable"))
    assert "pg_hba.conf" in said and "no encryption" in said


def test_a_server_signed_by_another_authority_is_not_believed(cluster: Cluster) -> None:
    for mode in ("verify-full", "verify-ca"):
        said = _refused(cluster.url(f"sslmode={mode}&sslrootcert={cluster.other_root}"))
        assert "certificate verify failed" in said, said


def test_verify_full_checks_the_name_the_station_dialled(cluster: Cluster) -> None:
    # The certificate names localhost and 127.0.0.1; dialled as 127.0.0.2 it is refused.
    url = cluster.url(f"sslmode=verify-full&sslrootcert={cluster.root_cert}")
    said = _refused(url.replace("@127.0.0.1:", "@127.0.0.2:").replace(
        "sslmode=", "hostaddr=127.0.0.1&sslmode="))
    assert "does not match host name" in said, said
