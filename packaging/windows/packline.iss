; Packline's Windows installer (Inno Setup 6.3 or later): installs the PyInstaller one-folder
; build (dist\packline\, from packaging\packline.spec) for every user of the PC.
;
;   iscc /DPackVersion=1.2.3 packaging\windows\packline.iss
;       → dist\packline-1.2.3-setup.exe
;
; IT installs it silently (docs/packaging.md, "Windows"):
;
;   packline-1.2.3-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART /SETTINGS=\\fs\it\packline\station.ini /MERGETASKS=engine
;
; /SETTINGS=FILE    the station's settings file, copied to C:\ProgramData\Packline\station.ini
;                   (the machine-wide settings, platformdirs' site_config_dir); the file there
;                   before is kept as station.ini.bak. Without /SETTINGS an existing
;                   station.ini is left as it is (an upgrade never touches IT's file) and none
;                   is made: the template is {app}\station.ini.example.
; /MERGETASKS=engine  also run the order engine on this PC as the Windows service
;                   PacklineEngine (/TASKS=engine does too, but deselects the other tasks).
;
; The station's store, outbox, logs and printed files live in C:\ProgramData\Packline (the
; machine-wide data folder, platformdirs' site_data_dir), which every user of the PC may
; change. station.ini there is not theirs to change: the Administrators and SYSTEM may, the
; Users group (and the engine's service) only read it. The engine's service runs as its own
; virtual account, NT SERVICE\PacklineEngine, never LocalSystem. Uninstalling leaves the
; folder and the settings in place.
;
; Exit codes beside Inno Setup's own: 10 installed, but the settings file could not be copied;
; 11 installed, but a step of the engine's service failed (service install / start / remove);
; 12 installed, but station.ini could not be made read-only for the station's users. Each
; failure is in the setup log (/LOG=FILE) with its exit code.
;
; This script is kept correct by reading: it cannot be compiled or run on the Linux machine
; Packline is developed on.

#ifndef PackVersion
  #error Give the version: iscc /DPackVersion=1.2.3 packaging\windows\packline.iss
#endif

#define Root AddBackslash(SourcePath) + "..\.."
#define ServiceName "PacklineEngine"

; Simplified Chinese is an unofficial translation of Inno Setup's own messages: not in Inno
; Setup's installer. Put ChineseSimplified.isl (https://jrsoftware.org/files/istrans/) in Inno
; Setup's Languages folder or beside this script; without it the installer speaks English only.
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
  #define ChineseIsl "compiler:Languages\ChineseSimplified.isl"
#elif FileExists(AddBackslash(SourcePath) + "ChineseSimplified.isl")
  #define ChineseIsl AddBackslash(SourcePath) + "ChineseSimplified.isl"
#endif

[Setup]
; The same AppId for every version: an upgrade replaces the installed one.
AppId={{4A710F26-8863-4CD8-BDDD-2C59745EDDD7}
AppName=Packline
AppVersion={#PackVersion}
AppVerName=Packline {#PackVersion}
AppPublisher=Packline
DefaultDirName={autopf}\Packline
DefaultGroupName=Packline
DisableProgramGroupPage=yes
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#Root}\dist
OutputBaseFilename=packline-{#PackVersion}-setup
Compression=lzma2
SolidCompression=yes
WizardStyle=modern
UninstallDisplayIcon={app}\packline.exe
UninstallDisplayName=Packline
; A running Packline is closed (and not restarted) so its files can be replaced.
CloseApplications=yes
RestartApplications=no
UsePreviousTasks=yes

[Languages]
Name: "english"; MessagesFile: "compiler:Default.isl"
#ifdef ChineseIsl
Name: "chinesesimplified"; MessagesFile: "{#ChineseIsl}"
#endif

[CustomMessages]
english.DesktopIcon=Packline on the desktop
english.EngineTask=Run the order engine on this PC as a Windows service (one PC per central database is enough)
english.StartPackline=Start Packline
english.SettingsMissing=The settings file given with /SETTINGS was not found: %1
english.SettingsNotCopied=The settings file could not be copied to %1.
english.EngineFailed=Packline is installed, but its order engine service could not be set up or started. The setup log says which step failed; run packline-console.exe service install in an administrator's command prompt to see why.
#ifdef ChineseIsl
chinesesimplified.DesktopIcon=在桌面上放置 Packline
chinesesimplified.EngineTask=在本机以 Windows 服务运行订单引擎（同一中心数据库有一台即可）
chinesesimplified.StartPackline=启动 Packline
chinesesimplified.SettingsMissing=找不到用 /SETTINGS 指定的设置文件：%1
chinesesimplified.SettingsNotCopied=无法将设置文件复制到 %1。
chinesesimplified.EngineFailed=Packline 已安装，但订单引擎服务未能设置或启动。安装日志记有失败的步骤；在管理员命令提示符中运行 packline-console.exe service install 可查看原因。
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:DesktopIcon}"; Flags: unchecked
Name: "engine"; Description: "{cm:EngineTask}"; Flags: unchecked

[Dirs]
; The machine-wide settings and data folder: the station's store, outbox, logs and prints,
; shared by every account that uses this PC (station.ini in it is locked below, in [Code]).
Name: "{commonappdata}\Packline"; Permissions: users-modify; Flags: uninsneveruninstall

[Files]
Source: "{#Root}\dist\packline\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs
Source: "{#Root}\packaging\station.ini.example"; DestDir: "{app}"; Flags: ignoreversion

[Icons]
Name: "{group}\Packline"; Filename: "{app}\packline.exe"; WorkingDir: "{app}"
Name: "{autodesktop}\Packline"; Filename: "{app}\packline.exe"; WorkingDir: "{app}"; Tasks: desktopicon

[Run]
; The engine's service is registered, started or removed in [Code] (CurStepChanged,
; ssPostInstall), where each step's exit code is checked and logged.
Filename: "{app}\packline.exe"; Description: "{cm:StartPackline}"; Flags: postinstall nowait skipifsilent runasoriginaluser

[UninstallRun]
Filename: "{app}\packline-console.exe"; Parameters: "service remove"; Flags: runhidden waituntilterminated; RunOnceId: "RemoveEngineService"

[Code]
const
  { Administrators and SYSTEM in full, the Users group read: by SID, as a Chinese Windows
    names the groups otherwise. }
  SettingsAcl = '/inheritance:r /grant:r *S-1-5-32-544:F *S-1-5-18:F *S-1-5-32-545:R';
  ServiceAccount = 'NT SERVICE\{#ServiceName}';

var
  SettingsFile: String;
  SettingsFailed: Boolean;
  ServiceFailed: Boolean;
  AclFailed: Boolean;

function InitializeSetup(): Boolean;
begin
  Result := True;
  SettingsFile := ExpandConstant('{param:SETTINGS|}');
  if SettingsFile <> '' then
  begin
    SettingsFile := ExpandFileName(SettingsFile);
    if not FileExists(SettingsFile) then
    begin
      SuppressibleMsgBox(FmtMessage(CustomMessage('SettingsMissing'), [SettingsFile]),
        mbCriticalError, MB_OK, IDOK);
      Result := False;  { nothing installed; setup exits with a non-zero code }
    end;
  end;
end;

function EngineTokenKept(): Boolean;
begin
  Result := FileExists(ExpandConstant('{commonappdata}\Packline\service\engine.token'))
    or FileExists(ExpandConstant('{commonappdata}\Packline\engine.token'));  { moved by install }
end;

{ Run Filename with Params and wait: True when it ran and exited 0; otherwise logged with its
  exit code (or, when it could not start, the Windows error). }
function RunChecked(const Filename, Params: String): Boolean;
var
  ResultCode: Integer;
begin
  if not Exec(Filename, Params, '', SW_HIDE, ewWaitUntilTerminated, ResultCode) then
  begin
    Log('Could not run ' + Filename + ' ' + Params + ': ' + SysErrorMessage(ResultCode));
    Result := False;
  end
  else if ResultCode <> 0 then
  begin
    Log(Filename + ' ' + Params + ' failed with exit code ' + IntToStr(ResultCode));
    Result := False;
  end
  else
  begin
    Log(Filename + ' ' + Params + ': done');
    Result := True;
  end;
end;

{ packline-console.exe service ACTION; a failure is remembered for the exit code 11. }
function EngineService(const Action: String): Boolean;
begin
  Result := RunChecked(ExpandConstant('{app}\packline-console.exe'), 'service ' + Action);
  if not Result then
    ServiceFailed := True;
end;

{ FileName readable by the station's users (and the engine's service when it has one), changed
  only by the Administrators and SYSTEM; nothing inherited from the folder. }
function LockSettings(const FileName: String; WithService: Boolean): Boolean;
var
  Params: String;
begin
  Params := '"' + FileName + '" ' + SettingsAcl;
  if WithService then
    Params := Params + ' "' + ServiceAccount + ':R"';
  Result := RunChecked(ExpandConstant('{sys}\icacls.exe'), Params);
end;

{ The engine's service holds the files being replaced: stop it first (net stop waits). }
function PrepareToInstall(var NeedsRestart: Boolean): String;
var
  ResultCode: Integer;
begin
  Exec(ExpandConstant('{sys}\net.exe'), 'stop {#ServiceName}', '', SW_HIDE,
    ewWaitUntilTerminated, ResultCode);  { not installed or not running: nothing to stop }
  Result := '';
end;

{ The settings file IT gave, as the machine-wide station.ini (the one there before kept as
  station.ini.bak), before the files and the service: the engine starts on it. The copy is
  made and locked in Setup's own temporary folder, then moved into place with its access list
  (a move keeps it), so the station's users never hold it open for writing. }
procedure PlaceSettings();
var
  Folder, Target, Staged: String;
begin
  Folder := ExpandConstant('{commonappdata}\Packline');
  Target := Folder + '\station.ini';
  Staged := ExpandConstant('{tmp}\station.ini');
  ForceDirectories(Folder);
  { The folder is made here, before [Dirs]: the station's users may change it, as [Dirs] says. }
  RunChecked(ExpandConstant('{sys}\icacls.exe'), '"' + Folder + '" /grant *S-1-5-32-545:(OI)(CI)M');
  if not FileCopy(SettingsFile, Staged, False) then
  begin
    SettingsFailed := True;
    Log('Settings: ' + SettingsFile + ' could not be read');
  end
  else
  begin
    if not LockSettings(Staged, False) then
      AclFailed := True;
    if FileExists(Target) then
    begin
      DeleteFile(Target + '.bak');
      if not RenameFile(Target, Target + '.bak') then
        Log('Settings: the station.ini there before could not be kept as station.ini.bak');
    end;
    if RenameFile(Staged, Target) then
      Log('Settings: ' + SettingsFile + ' placed as ' + Target)
    else if FileCopy(Staged, Target, False) then  { another drive: copied, locked after }
      Log('Settings: ' + SettingsFile + ' copied to ' + Target)
    else
    begin
      SettingsFailed := True;
      Log('Settings: ' + SettingsFile + ' could not be copied to ' + Target);
    end;
  end;
  if SettingsFailed then
    SuppressibleMsgBox(FmtMessage(CustomMessage('SettingsNotCopied'), [Target]),
      mbError, MB_OK, IDOK);
end;

{ After the files: the engine's service registered (or pointed at this version, as its own
  account) with the engine task, started when its token is kept, removed without the task;
  then station.ini and its backup read-only for the station's users (again on an upgrade,
  whose earlier installer left them changeable). }
procedure FinishInstall();
var
  Folder: String;
  WithService: Boolean;
begin
  WithService := False;
  if WizardIsTaskSelected('engine') then
  begin
    WithService := EngineService('install');
    if WithService and EngineTokenKept() then
      EngineService('start');
  end
  else
    EngineService('remove');
  Folder := ExpandConstant('{commonappdata}\Packline');
  if FileExists(Folder + '\station.ini') then
    if not LockSettings(Folder + '\station.ini', WithService) then
      AclFailed := True;
  if FileExists(Folder + '\station.ini.bak') then
    if not LockSettings(Folder + '\station.ini.bak', False) then
      AclFailed := True;
  if ServiceFailed then
    SuppressibleMsgBox(CustomMessage('EngineFailed'), mbError, MB_OK, IDOK);
end;

procedure CurStepChanged(CurStep: TSetupStep);
begin
  if (CurStep = ssInstall) and (SettingsFile <> '') then
    PlaceSettings();
  if CurStep = ssPostInstall then
    FinishInstall();
end;

{ Installed, but with a step failed: an exit code for IT's tooling (see the top). }
function GetCustomSetupExitCode(): Integer;
begin
  if SettingsFailed then
    Result := 10
  else if ServiceFailed then
    Result := 11
  else if AclFailed then
    Result := 12
  else
    Result := 0;
end;
